/**
 * Final reads wait for a quiet spell first: the load has stopped and the
 * faults are healed, and eventually-consistent nodes get this long to
 * converge before they are asked what they hold.
 */
import { F_FINAL_READ } from "../../checkers/maelstrom/ops.js";
import { eachNode, type GenContext, type Generator, type OpBody, PENDING, type Step } from "../../src/controller/generator.js";

export const QUIET_BEFORE_FINAL_MS = 3_000;

export function afterQuiet(ms: number, gen: Generator, startNs: number | null = null): Generator {
  return {
    op(ctx: GenContext): Step {
      const start = startNs ?? ctx.timeNs;
      if (ctx.timeNs < start + ms * 1e6) return PENDING(afterQuiet(ms, gen, start));
      return gen.op(ctx);
    },
    update(ctx: GenContext, event) {
      return startNs === null ? this : afterQuiet(ms, gen.update(ctx, event), startNs);
    },
  };
}

/** One final read of every node, after the quiet spell. */
export function finalReads(nodes: readonly string[], body: OpBody = { f: F_FINAL_READ, value: null }): Generator {
  return afterQuiet(
    QUIET_BEFORE_FINAL_MS,
    eachNode(() => body, nodes),
  );
}
