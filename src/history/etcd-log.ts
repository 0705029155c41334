import { readFileSync } from "node:fs";
import { InputError } from "./input-error.js";
import type { Op, OpType } from "./op.js";
import type { SourcedHistory } from "./source.js";

const MARKER = "jepsen.util - ";
const TYPES: ReadonlySet<string> = new Set([":invoke", ":ok", ":fail", ":info"]);

function parseValue(text: string, path: string, line: number): unknown {
  if (text === "nil") return null;
  if (/^-?\d+$/.test(text)) return Number(text);
  const pair = /^\[\s*(-?\d+|nil)\s+(-?\d+|nil)\s*\]$/.exec(text);
  if (pair) return [parseValue(pair[1], path, line), parseValue(pair[2], path, line)];
  if (text.startsWith(":")) return text.slice(1);
  throw new InputError(`${path} line ${line}, field "value": cannot read ${JSON.stringify(text)}`);
}

/**
 * Porcupine's Jepsen etcd logs: `INFO  jepsen.util - <process> <type> <f> <value>`,
 * fields split by tabs or spaces. A `:timed-out` outcome is unknown, so it is
 * recorded as `info` even when the log says `:fail` (a read that timed out).
 */
export function readEtcdLog(path: string): SourcedHistory {
  const text = readFileSync(path, "utf8");
  const ops: Op[] = [];
  const lines: number[] = [];
  const rows = text.split("\n");
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i].trim();
    if (row === "") continue;
    const line = i + 1;
    const at = row.indexOf(MARKER);
    if (at < 0) throw new InputError(`${path} line ${line}: expected "${MARKER.trim()} <process> <type> <f> <value>"`);
    const fields = row
      .slice(at + MARKER.length)
      .trim()
      .split(/\s+/);
    if (fields.length < 4) throw new InputError(`${path} line ${line}: expected 4 fields (process, type, f, value), got ${fields.length}`);
    const [proc, type, f] = fields;
    if (!/^\d+$/.test(proc))
      throw new InputError(`${path} line ${line}, field "process": expected an integer, got ${JSON.stringify(proc)}`);
    if (!TYPES.has(type))
      throw new InputError(`${path} line ${line}, field "type": expected :invoke, :ok, :fail or :info, got ${JSON.stringify(type)}`);
    if (!f.startsWith(":")) throw new InputError(`${path} line ${line}, field "f": expected a keyword, got ${JSON.stringify(f)}`);
    const raw = fields.slice(3).join(" ");
    const timedOut = raw === ":timed-out";
    const op: Op = {
      index: ops.length,
      time: ops.length,
      process: Number(proc),
      type: (timedOut && type !== ":ok" ? "info" : type.slice(1)) as OpType,
      f: f.slice(1),
      value: timedOut ? null : parseValue(raw, path, line),
    };
    if (timedOut) op.error = "timed-out";
    ops.push(op);
    lines.push(line);
  }
  return { ops, lines, format: "porcupine-etcd" };
}
