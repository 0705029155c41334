import { checkListAppend, type ElleResult } from "../elle/index.js";
import { resultPage } from "./html.js";
import type { CheckerEntry, RunOptions } from "./types.js";

export const F_TXN = "txn";

function summary(result: ElleResult, models: string[]): string[] {
  const s = result.stats;
  const lines = [
    `${s.txns} txns (${s.ok} ok, ${s.info} info, ${s.fail} fail) over ${s.keys} keys; checked against ${models.join(", ")}`,
    result.valid ? "valid: no anomaly these models prohibit" : `INVALID: ${result["anomaly-types"].join(", ")}`,
  ];
  if (result["anomaly-types"].length > 0) {
    if (result.valid) lines.push(`anomalies the models allow: ${result["anomaly-types"].join(", ")}`);
    lines.push(`not: ${result.not.join(", ") || "-"}; also not: ${result["also-not"].join(", ") || "-"}`);
  }
  for (const type of result["anomaly-types"]) {
    const first = result.anomalies[type][0];
    const why = typeof first?.explanation === "string" ? first.explanation : JSON.stringify(first);
    lines.push(`  ${type} (${result["anomaly-counts"][type]}): ${why}`);
  }
  return lines;
}

function elleEntry(name: string, description: string, check: (ops: Parameters<typeof checkListAppend>[0], opts: RunOptions) => ElleResult): CheckerEntry {
  return {
    name,
    description,
    fs: [F_TXN],
    async run(input, opts) {
      const result = check(input.ops, opts);
      const lines = summary(result, result["consistency-models"]);
      return { checker: name, result, summary: lines, html: () => resultPage(opts.title, name, result, lines) };
    },
  };
}

export const elleListAppend = elleEntry(
  "elle-list-append",
  "Elle-style cycle search on list-append transactions ([\"append\", k, v], [\"r\", k, list])",
  (ops, opts) => checkListAppend(ops, opts.consistencyModels ? { consistencyModels: opts.consistencyModels } : {}),
);
