import {
  checkListAppend,
  checkRwRegister,
  completeOrphans,
  renderElleHtml,
  type ElleOptions,
  type ElleResult,
  type ElleWorkload,
} from "../elle/index.js";
import type { History } from "../../src/history/op.js";
import { resultPage } from "./html.js";
import { located } from "./locate.js";
import type { CheckerEntry } from "./types.js";

export const F_TXN = "txn";

function summary(result: ElleResult): string[] {
  const s = result.stats;
  const lines = [
    `${s.txns} txns (${s.ok} ok, ${s.info} info, ${s.fail} fail) over ${s.keys} keys; checked against ${result["consistency-models"].join(", ")}`,
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

/** Elle's histories may hold completions without invocations: each gets one (../elle/orphans.ts) before the check. */
/** What `tob check --shrink` needs to shrink an Elle violation (../elle/shrink.ts). */
export interface ElleShrinkable {
  workload: ElleWorkload;
  ops: History;
  options: ElleOptions;
}

function elleEntry(
  name: string,
  description: string,
  workload: ElleWorkload,
  check: (ops: History, opts: ElleOptions) => ElleResult,
): CheckerEntry {
  return {
    name,
    description,
    fs: [F_TXN],
    async run(input, opts) {
      const source = completeOrphans({ ops: input.ops, lines: input.lines });
      const options = opts.consistencyModels ? { consistencyModels: opts.consistencyModels } : {};
      const result = await located({ lines: source.lines, name: input.name }, () => check(source.ops, options));
      const lines = summary(result);
      // Elle's own page draws each anomaly's cycle; a valid result has none, so the plain page serves.
      const html = () => (result.valid === false ? renderElleHtml(result, opts.title) : resultPage(opts.title, name, result, lines));
      const shrinkable: ElleShrinkable = { workload, ops: source.ops, options };
      return { checker: name, result, summary: lines, html, shrinkable };
    },
  };
}

export const elleListAppend = elleEntry(
  "elle-list-append",
  'Elle on list-append txns (["append", k, v], ["r", k, [v...]])',
  "list-append",
  checkListAppend,
);
export const elleRwRegister = elleEntry(
  "elle-rw-register",
  'Elle on rw-register txns (["w", k, v], ["r", k, v]; unique writes per key)',
  "rw-register",
  checkRwRegister,
);
