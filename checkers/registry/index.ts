/**
 * The checkers `tob check` and the service can run on a stored history, by
 * name, and the choice of one from the ops when none is named.
 *
 *   checkerNamed(name)        the entry, or an InputError listing the names
 *   inferChecker(ops, format) deliveries, or broadcasts alone -> total-order; txns ->
 *                             elle-list-append or elle-rw-register by their
 *                             micro-ops; generate, echo, send/poll, or
 *                             final reads -> the Maelstrom workload's
 *                             checker; anything else -> linearizable
 *   runChecker(name, input, opts)  checks, after making sure the history has
 *                             ops the checker reads; an op that does not fit
 *                             is an InputError naming its line and field
 */
import { InputError } from "../../src/history/input-error.js";
import { type History, isClientOp } from "../../src/history/op.js";
import type { HistoryFormat } from "../../src/history/source.js";
import { elleWorkloadOf } from "../elle/index.js";
import { elleListAppend, elleRwRegister, F_TXN } from "./elle.js";
import { linearizable } from "./linearizable.js";
import { F_BROADCAST as TO_BROADCAST, F_FINAL_READ as TO_FINAL_READ, F_READ as TO_READ } from "../total-order/parse.js";
import { totalOrder } from "./total-order.js";
import { locate } from "./locate.js";
import { counter, echo, kafka, perf, setFull, uniqueIds } from "./workloads.js";
import { F_FINAL_READ } from "../maelstrom/ops.js";
import type { CheckerEntry, CheckerInput, Outcome, RunOptions } from "./types.js";

export type { CheckerEntry, CheckerInput, Outcome, RunOptions } from "./types.js";

const CORE: readonly CheckerEntry[] = [linearizable, totalOrder, elleListAppend, elleRwRegister];
const WORKLOADS: readonly CheckerEntry[] = [setFull, counter, kafka, uniqueIds, echo, perf];
const ENTRIES: readonly CheckerEntry[] = [...CORE, ...WORKLOADS];
const BY_NAME = new Map(ENTRIES.map((e) => [e.name, e]));
/** other names people use; "elle" picks the txn kind from the micro-ops */
const ALIASES: Record<string, string> = {
  linearizability: "linearizable",
  "list-append": "elle-list-append",
  "rw-register": "elle-rw-register",
  "g-set": "set-full",
  "g-counter": "counter",
  "pn-counter": "counter",
};
const AUTO_ELLE = "elle";

/** The core checkers, "elle", then the Maelstrom workloads' and perf. */
export const CHECKER_NAMES: readonly string[] = [...CORE.map((e) => e.name), AUTO_ELLE, ...WORKLOADS.map((e) => e.name)];

export function checkerList(): { name: string; description: string }[] {
  return [
    ...CORE.map(({ name, description }) => ({ name, description })),
    { name: AUTO_ELLE, description: "Elle, list-append or rw-register as the micro-ops say" },
    ...WORKLOADS.map(({ name, description }) => ({ name, description })),
  ];
}

/** A checker name as given (aliases included) to an entry; ops decide "elle". */
export function checkerNamed(name: string, ops: History = []): CheckerEntry {
  const resolved = name === AUTO_ELLE ? (elleKind(ops) ?? elleListAppend.name) : (ALIASES[name] ?? name);
  const entry = BY_NAME.get(resolved);
  if (entry === undefined) throw new InputError(`unknown checker ${JSON.stringify(name)}; known checkers: ${CHECKER_NAMES.join(", ")}`);
  return entry;
}

/**
 * The Elle checker for these txns, by their micro-ops (appends: list-append,
 * writes: rw-register); reads only: list-append when a read shows a list.
 * Undefined when they are neither (read/write micro-ops are the
 * multi-register model's).
 */
function elleKind(ops: History): string | undefined {
  const workload = elleWorkloadOf(ops);
  if (workload !== undefined) return `elle-${workload}`;
  let listRead = false;
  for (const op of ops) {
    if (op.f !== F_TXN || !isClientOp(op) || !Array.isArray(op.value)) continue;
    for (const mop of op.value) {
      if (!Array.isArray(mop) || mop[0] !== "r") return undefined;
      if (Array.isArray(mop[2])) listRead = true;
      else if (mop[2] !== null && mop[2] !== undefined) return "elle-rw-register";
    }
  }
  return listRead ? "elle-list-append" : undefined;
}

export function inferChecker(ops: History, _format: HistoryFormat): string {
  const fs = new Set(ops.filter(isClientOp).map((op) => op.f));
  const has = (names: readonly string[]) => names.some((f) => fs.has(f));
  if (has([TO_READ, TO_FINAL_READ])) return totalOrder.name;
  if (fs.has(F_TXN)) return elleKind(ops) ?? linearizable.name;
  // f names no linearizability model reads: the Maelstrom workload's own checker
  for (const entry of [uniqueIds, echo, kafka]) if (has(entry.fs!)) return entry.name;
  // final reads, or broadcasts read back, are the eventually consistent workloads': a count, or a set
  if (fs.has(F_FINAL_READ) || (fs.has(TO_BROADCAST) && fs.has("read"))) {
    const counted = ops.some((op) => op.type === "ok" && (op.f === "read" || op.f === F_FINAL_READ) && typeof op.value === "number");
    return counted ? counter.name : setFull.name;
  }
  if (fs.has(TO_BROADCAST)) return totalOrder.name;
  return linearizable.name;
}

/** Runs the entry on a history that has ops it reads; ops that do not fit are errors naming their line and field. */
export async function runChecker(entry: CheckerEntry, input: CheckerInput, opts: RunOptions): Promise<Outcome> {
  requireReadableOps(entry, input);
  return entry.run(input, opts);
}

/** A checker given a history without one op it reads would judge nothing: that is an input error. */
function requireReadableOps(entry: CheckerEntry, input: CheckerInput): void {
  const fs = entry.fs;
  if (fs === null) return;
  const client = input.ops.findIndex(isClientOp);
  if (client < 0 || input.ops.some((op) => isClientOp(op) && fs.includes(op.f))) return;
  const seen = [...new Set(input.ops.filter(isClientOp).map((op) => op.f))].slice(0, 8);
  throw new InputError(
    `${locate(input, client, "f")}: the ${entry.name} checker reads ops with f = ${fs.join(" | ")}; ` +
      `this history has f = ${seen.join(", ")} and none it reads; pick another --checker (${CHECKER_NAMES.join(", ")})`,
  );
}
