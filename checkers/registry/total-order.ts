import type { History } from "../../src/history/op.js";
import { checkTotalOrder } from "../total-order/index.js";
import { F_BROADCAST, F_FINAL_READ, F_READ } from "../total-order/parse.js";
import { resultPage } from "./html.js";
import { located } from "./locate.js";
import type { CheckerEntry } from "./types.js";

/** What `tob check --shrink` needs to shrink a total-order violation (../total-order/shrink.ts). */
export interface TotalOrderShrinkable {
  ops: History;
}

export const totalOrder: CheckerEntry = {
  name: "total-order",
  description: "total order broadcast: integrity, agreement, total order, no loss, order fixed at delivery (FIFO reported)",
  fs: [F_BROADCAST, F_READ, F_FINAL_READ],
  async run(input, opts) {
    const result = await located(input, () => checkTotalOrder(input.ops));
    const b = result.broadcasts;
    const lines = [
      `${b.attempted} broadcasts (${b.ok} ok, ${b.fail} fail, ${b.info} info, ${b.pending} pending), ${result.correctNodes.length} node(s) with a final read`,
      result.valid === true
        ? "valid: every total order broadcast property holds"
        : result.valid === false
          ? `INVALID: broken ${result.failed.join(", ")}`
          : `unknown: ${result.error ?? "not every property could be judged"}`,
    ];
    for (const name of result.failed) {
      const property = result.properties[name];
      const first = property.examples[0];
      const why = typeof first?.explanation === "string" ? first.explanation : JSON.stringify(first);
      lines.push(`  ${name}: ${property.count} violation(s); e.g. ${why}`);
    }
    if (!result.properties.fifo.valid && !result.failed.includes("fifo"))
      lines.push(`  (per-sender FIFO, not required: ${result.properties.fifo.count} violation(s))`);
    const shrinkable: TotalOrderShrinkable = { ops: input.ops };
    return { checker: "total-order", result, summary: lines, html: () => resultPage(opts.title, "total-order", result, lines), shrinkable };
  },
};
