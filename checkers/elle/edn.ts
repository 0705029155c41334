/**
 * Jepsen's EDN histories of Elle workloads, as ops:
 *   {:type :ok, :f :txn, :value [[:append 5 1] [:r 5 [1 2]]], :process 0, :time 12, :index 3}
 *   {:type :ok, :f :txn, :value [[:w :x 1] [:r :y nil]]}
 * Keywords become strings (:append -> "append", :x -> "x"). As in Elle's own
 * histories, :process, :time, :index and :f may be missing (f defaults to
 * txn, time to the op's position, process to "nil"); the index is renumbered densely and the
 * line of each op kept, so errors found later still name the line.
 * Anything else that is wrong names the line and the field.
 */
import { parseEDNString } from "edn-data";
import { InputError } from "../../src/history/input-error.js";
import { splitEdnForms } from "../../src/history/edn-forms.js";
import type { Op, OpType } from "../../src/history/op.js";
import { EDN_PLAIN_OPTIONS } from "../../src/history/edn.js";
import { F_TXN } from "./txns.js";
import { completeOrphans, type ElleSource } from "./orphans.js";

const TYPES: ReadonlySet<string> = new Set(["invoke", "ok", "fail", "info"]);

export function parseElleEdn(text: string, file: string): ElleSource {
  const ops: Op[] = [];
  const lines: number[] = [];
  for (const form of splitEdnForms(text, file)) {
    const at = (field?: string): string => `${file} line ${form.line}${field === undefined ? "" : `, field :${field}`}`;
    let record: unknown;
    try {
      record = parseEDNString(form.text, EDN_PLAIN_OPTIONS);
    } catch (err) {
      throw new InputError(`${at()}: not valid EDN (${(err as Error).message})`);
    }
    if (record === null || typeof record !== "object" || Array.isArray(record)) throw new InputError(`${at()}: expected an op map`);
    const r = record as Record<string, unknown>;
    if (typeof r.type !== "string" || !TYPES.has(r.type))
      throw new InputError(`${at("type")}: expected :invoke, :ok, :fail or :info, got ${JSON.stringify(r.type ?? null)}`);
    // Elle's own histories may have no :process: one unnamed process, like Jepsen's nil
    const process = r.process ?? "nil";
    if (typeof process !== "string" && !(typeof process === "number" && Number.isInteger(process))) {
      throw new InputError(`${at("process")}: expected an integer or a keyword, got ${JSON.stringify(process)}`);
    }
    const f = r.f ?? F_TXN;
    if (typeof f !== "string") throw new InputError(`${at("f")}: expected a keyword such as :txn, got ${JSON.stringify(f)}`);
    const time = r.time ?? ops.length;
    if (typeof time !== "number" || !Number.isFinite(time))
      throw new InputError(`${at("time")}: expected a number of nanoseconds, got ${JSON.stringify(time)}`);
    const op: Op = { index: ops.length, time, process: process as Op["process"], type: r.type as OpType, f, value: r.value ?? null };
    if (typeof r.error === "string") op.error = r.error;
    ops.push(op);
    lines.push(form.line);
  }
  return completeOrphans({ ops, lines });
}
