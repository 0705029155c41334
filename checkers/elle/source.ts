/**
 * Elle on a history read from a file: which workload its txns are (from
 * their micro-ops: appends or writes), and errors that name the file's line
 * rather than the op's position.
 */
import { InputError } from "../../src/history/input-error.js";
import type { History } from "../../src/history/op.js";
import type { ElleOptions, ElleResult } from "./analyze.js";
import { checkListAppend, checkRwRegister } from "./check.js";
import type { ElleSource } from "./orphans.js";
import { F_TXN } from "./txns.js";

export type ElleWorkload = "list-append" | "rw-register";

export const ELLE_WORKLOADS: readonly ElleWorkload[] = ["list-append", "rw-register"];

/**
 * The workload whose micro-ops the history's txns use: "append" means
 * list-append, "w" rw-register; undefined when it has no txn, or only reads
 * (either checker then fits), or both kinds.
 */
export function elleWorkloadOf(history: History): ElleWorkload | undefined {
  let appends = false;
  let writes = false;
  for (const op of history) {
    if (op.f !== F_TXN || !Array.isArray(op.value)) continue;
    for (const mop of op.value) {
      if (!Array.isArray(mop)) continue;
      if (mop[0] === "append") appends = true;
      else if (mop[0] === "w") writes = true;
    }
    if (appends && writes) return undefined;
  }
  return appends ? "list-append" : writes ? "rw-register" : undefined;
}

export interface ElleFileOptions extends ElleOptions {
  /** the workload; default: elleWorkloadOf, then list-append for a history of reads only */
  workload?: ElleWorkload;
}

/**
 * Checks a history from `file`; an InputError about "op N" is re-thrown
 * naming `file line L` as well. A history mixing appends and writes is an
 * input error.
 */
export function checkElleSource(source: ElleSource, file: string, opts: ElleFileOptions = {}): ElleResult {
  const workload = opts.workload ?? elleWorkloadOf(source.ops) ?? mixedOrReads(source, file);
  try {
    return workload === "rw-register" ? checkRwRegister(source.ops, opts) : checkListAppend(source.ops, opts);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    throw new InputError(
      err.message.replace(/\bop (\d+)(?=:)/, (text, n: string) => `${file} line ${source.lines[Number(n)] ?? "?"} (${text})`),
    );
  }
}

function mixedOrReads(source: ElleSource, file: string): ElleWorkload {
  const uses =
    (f: string) =>
    (op: History[number]): boolean =>
      op.f === F_TXN && Array.isArray(op.value) && op.value.some((mop) => Array.isArray(mop) && mop[0] === f);
  const write = source.ops.findIndex(uses("w"));
  const append = source.ops.findIndex(uses("append"));
  if (write >= 0 && append >= 0) {
    throw new InputError(
      `${file} line ${source.lines[write]}, field "value": a register write in a history of list appends (line ${source.lines[append]}); check one workload at a time`,
    );
  }
  return "list-append";
}
