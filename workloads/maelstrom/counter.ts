/**
 * g-counter and pn-counter: adds of deltas (pn: negative too) and reads. A
 * read must be a sum some subset of the adds so far could make; a final read,
 * on a quiet cluster, must count every acknowledged add.
 */
import { counterChecker } from "../../checkers/maelstrom/counter.js";
import { source } from "../../src/controller/generator.js";
import { nextFloat, nextInt } from "../../src/rng.js";
import { finalReads } from "./final.js";
import { type MaelstromWorkload, reply } from "./workload.js";

const DELTA_MAX = 5;

function counter(name: string, negative: boolean): MaelstromWorkload {
  return {
    name,
    description: negative ? "a counter of positive and negative adds" : "a grow-only counter",
    make(opts) {
      return {
        generator: source<null>(null, opts.seed, (s, rng0) => {
          let [f, rng] = nextFloat(rng0);
          if (f >= 0.5) return [{ f: "read", value: null }, s, rng];
          let d: number;
          [d, rng] = nextInt(rng, negative ? 2 * DELTA_MAX + 1 : DELTA_MAX);
          return [{ f: "add", value: negative ? d - DELTA_MAX : d + 1 }, s, rng];
        }),
        final: () => finalReads(opts.nodes),
        async invoke(client, op) {
          if (op.f === "add") return reply(await client.rpc({ type: "add", delta: op.value }), () => op.value);
          return reply(await client.rpc({ type: "read" }), (b) => b.value);
        },
        checkers: [counterChecker(name)],
      };
    },
  };
}

export const gCounter = counter("g-counter", false);
export const pnCounter = counter("pn-counter", true);
