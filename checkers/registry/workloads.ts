/**
 * The checkers of the Maelstrom workloads, and perf, on stored histories, in
 * the shapes `tob run` records them:
 *   set-full     broadcast / g-set: adds, reads and final reads of the set
 *   counter      g-counter / pn-counter: read bounds from the adds
 *   kafka        one log per key: sends, polls, committed offsets
 *   unique-ids   no id handed out twice
 *   echo         every reply echoes its request
 *   perf         latency, throughput and unavailability of any history (always valid)
 * Each entry first makes sure the values it reads have the shape it reads:
 * an op that does not is an input error naming its line and field.
 */
import { type History, isClientOp, type Op } from "../../src/history/op.js";
import { InputError } from "../../src/history/input-error.js";
import type { Checker, CheckResult } from "../checker.js";
import { counterChecker } from "../maelstrom/counter.js";
import { echoChecker } from "../maelstrom/echo.js";
import { kafkaChecker } from "../maelstrom/kafka.js";
import { F_FINAL_READ } from "../maelstrom/ops.js";
import { setFullChecker } from "../maelstrom/set-full.js";
import { uniqueIdsChecker } from "../maelstrom/unique-ids.js";
import { checkPerf } from "../perf/index.js";
import { resultPage } from "./html.js";
import { locate, located } from "./locate.js";
import type { CheckerEntry } from "./types.js";

/** What is wrong with one op's value for a checker: the field and why; null when it fits. */
type Misfit = { field: string; what: string } | null;

interface WorkloadSpec {
  name: string;
  description: string;
  fs: readonly string[] | null;
  checker: (ops: History) => Checker;
  /** the first summary line: what the history holds */
  figures: (result: CheckResult) => string;
  /** why an invalid result is invalid (default: its anomaly types) */
  why?: (result: CheckResult) => string;
  misfit?: (op: Op) => Misfit;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const show = (v: unknown) => JSON.stringify(v) ?? String(v);

function workloadEntry(spec: WorkloadSpec): CheckerEntry {
  return {
    name: spec.name,
    description: spec.description,
    fs: spec.fs,
    async run(input, opts) {
      if (spec.misfit) {
        for (const [i, op] of input.ops.entries()) {
          const wrong = isClientOp(op) ? spec.misfit(op) : null;
          if (wrong) throw new InputError(`${locate(input, i, wrong.field)}: ${spec.name}: ${wrong.what}`);
        }
      }
      const result = await located(input, () => spec.checker(input.ops).check(input.ops));
      const lines = [spec.figures(result), verdictLine(result, spec.why)];
      return { checker: spec.name, result, summary: lines, html: () => resultPage(opts.title, spec.name, result, lines) };
    },
  };
}

/** The verdict, and what it rests on. */
function verdictLine(result: CheckResult, why?: (result: CheckResult) => string): string {
  if (result.valid === true) return "valid";
  if (result.valid !== false) return `unknown: ${String(result.error ?? result.note ?? "not every property could be judged")}`;
  const types = Array.isArray(result["anomaly-types"]) ? (result["anomaly-types"] as string[]).join(", ") : "";
  return `INVALID: ${(why ? why(result) : types) || String(result.error ?? "see the result")}`;
}

/** "lost 2, unexpected 1": the named counts that are not zero. */
const nonZero = (result: CheckResult, names: readonly string[]) =>
  names
    .filter((n) => typeof result[`${n}-count`] === "number" && (result[`${n}-count`] as number) > 0)
    .map((n) => `${n} ${String(result[`${n}-count`])}`)
    .join(", ");

export const setFull = workloadEntry({
  name: "set-full",
  description: "Maelstrom's broadcast and g-set: every acknowledged element in every node's final read, none unexpected",
  fs: ["broadcast", "add", "read", F_FINAL_READ],
  // g-set adds with f "add", broadcast with f "broadcast": the ops say which
  checker: (ops) => setFullChecker({ add: ops.some((op) => isClientOp(op) && op.f === "add") ? "add" : "broadcast", name: "set-full" }),
  figures: (r) =>
    `${String(r["attempt-count"])} elements added (${String(r["acknowledged-count"])} acknowledged), final reads of ${(r["final-read-nodes"] as string[]).length} node(s)`,
  why: (r) => nonZero(r, ["lost", "unexpected"]),
  misfit: (op) =>
    (op.f === "read" || op.f === F_FINAL_READ) && op.type === "ok" && !Array.isArray(op.value)
      ? { field: "value", what: `a read's value is the list of elements, got ${show(op.value)}` }
      : null,
});

export const counter = workloadEntry({
  name: "counter",
  description: "Maelstrom's g-counter and pn-counter: each read within the bounds the adds allow",
  fs: ["add", "read", F_FINAL_READ],
  checker: () => counterChecker("counter"),
  figures: (r) => `${String(r.reads)} reads, acknowledged sum ${String(r["acknowledged-sum"])}`,
  why: (r) => `${String(r["out-of-bounds-count"])} read(s) out of bounds`,
  misfit: (op) =>
    op.f === "add" && op.type === "invoke" && (typeof op.value !== "number" || !Number.isFinite(op.value))
      ? { field: "value", what: `an add's value is its delta, a number, got ${show(op.value)}` }
      : null,
});

export const kafka = workloadEntry({
  name: "kafka",
  description: "Maelstrom's kafka: one log per key as every client saw it (offsets, polls, committed offsets)",
  fs: ["send", "poll", "final-poll", "commit_offsets", "list_committed_offsets"],
  checker: () => kafkaChecker,
  figures: (r) =>
    `${String(r["acknowledged-sends"])} acknowledged sends over ${String(r.keys)} keys, ${String(r["final-polls"])} final polls`,
  misfit: kafkaMisfit,
});

function kafkaMisfit(op: Op): Misfit {
  if (op.type !== "ok") return null;
  const v = op.value;
  switch (op.f) {
    case "send":
      return isObject(v) && (typeof v.key === "string" || typeof v.key === "number")
        ? null
        : { field: "value", what: `a send's completion is {key, msg, offset}, got ${show(v)}` };
    case "poll":
    case "final-poll":
      return v === null || (isObject(v) && (v.msgs === undefined || isObject(v.msgs)))
        ? null
        : { field: "value", what: `a poll's completion is {msgs: {key: [[offset, msg], ...]}}, got ${show(v)}` };
    case "commit_offsets":
    case "list_committed_offsets":
      return v === null || (isObject(v) && (v.offsets === undefined || offsetsFit(v.offsets)))
        ? null
        : { field: "value", what: `${op.f}'s completion is {offsets: {key: offset}}, got ${show(v)}` };
    default:
      return null;
  }
}

const offsetsFit = (offsets: unknown) => isObject(offsets) && Object.values(offsets).every((o) => Number.isInteger(o));

export const uniqueIds = workloadEntry({
  name: "unique-ids",
  description: "Maelstrom's unique-ids: no id handed out twice",
  fs: ["generate"],
  checker: () => uniqueIdsChecker,
  figures: (r) => `${String(r.generated)} ids generated`,
  why: (r) => (typeof r.error === "string" ? r.error : `${String(r["duplicate-count"])} id(s) handed out twice`),
});

export const echo = workloadEntry({
  name: "echo",
  description: "Maelstrom's echo: every ok reply carries the text its request sent",
  fs: ["echo"],
  checker: () => echoChecker,
  figures: (r) => `${String(r.ok)} echoes`,
  why: (r) => `${String(r["wrong-count"])} reply(ies) not echoing the request`,
});

export const perf = workloadEntry({
  name: "perf",
  description: "latency per f and outcome, throughput, unavailability windows and fault phases of any history (figures only: always valid)",
  fs: null,
  checker: () => ({ name: "perf", check: async (history) => checkPerf(history) }),
  figures: (r) => {
    const ops = r.ops as { completed: number; pending: number };
    const unavailable = r.unavailable as { windows: unknown[]; totalMs: number };
    return `${ops.completed} ops completed (${ops.pending} pending), ${unavailable.windows.length} unavailability window(s), ${unavailable.totalMs} ms in all`;
  },
});
