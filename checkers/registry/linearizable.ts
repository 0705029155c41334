import { checkHistory, type CheckRun } from "../linearizability/check.js";
import { renderHtml } from "../linearizability/html.js";
import { guessModel } from "../linearizability/models/guess.js";
import { locate } from "./locate.js";
import type { CheckerEntry } from "./types.js";

function summary(run: CheckRun, modelGuessed: boolean): string[] {
  const r = run.result;
  const parts = Object.values(r.partitions);
  const count = (v: unknown) => parts.filter((p) => p.valid === v).length;
  const verdict =
    r.valid === true
      ? "valid: linearizable"
      : r.valid === false
        ? "INVALID: not linearizable"
        : "unknown: the search ran out of its budget";
  const lines = [
    `model ${r.model}${modelGuessed ? " (guessed; pass --model to choose)" : ""}, ${r["op-count"]} ops, ${parts.length} partition(s), ${r["time-ms"]} ms`,
    verdict,
    `partitions: ${count(true)} valid, ${count(false)} invalid, ${count("unknown")} unknown`,
  ];
  for (const [name, p] of Object.entries(r.partitions)) {
    if (p.valid === "unknown" && p.reason !== "cancelled")
      lines.push(`  ${name}: unknown (${p.reason}) after ${p.steps} steps; ${p.linearized} of ${p.ops} ops linearized`);
  }
  for (const a of r.anomalies) lines.push("", a.text);
  return lines;
}

export const linearizable: CheckerEntry = {
  name: "linearizable",
  description: "linearizability (Porcupine-style search per key) against a model",
  fs: null,
  async run(input, opts) {
    const model = opts.model ?? guessModel(input.format, input.ops);
    const run = await checkHistory(input.ops, {
      model,
      initial: opts.initial,
      timeoutMs: opts.timeoutMs,
      locate: (i, field) => locate(input, i, field),
      ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    });
    return {
      checker: "linearizable",
      result: run.result,
      summary: summary(run, opts.model === undefined),
      html: () => renderHtml(opts.title, run.result, new Map(run.partitions.map((p) => [p.name, p.ops]))),
      shrinkable: run,
    };
  },
};
