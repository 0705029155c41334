/** g-set: a grow-only set; every acknowledged add is in the end read on every node, and nothing else is. */
import { setFullChecker } from "../../checkers/maelstrom/set-full.js";
import { source } from "../../src/controller/generator.js";
import { nextFloat } from "../../src/rng.js";
import { sortedNumbers } from "./broadcast.js";
import { finalReads } from "./final.js";
import { type MaelstromWorkload, reply } from "./workload.js";

export const gSet: MaelstromWorkload = {
  name: "g-set",
  description: "a grow-only set: adds of unique elements and reads",
  make(opts) {
    return {
      generator: source<number>(0, opts.seed, (n, rng0) => {
        const [f, rng] = nextFloat(rng0);
        return f < 0.5 ? [{ f: "add", value: n }, n + 1, rng] : [{ f: "read", value: null }, n, rng];
      }),
      final: () => finalReads(opts.nodes),
      async invoke(client, op) {
        if (op.f === "add") return reply(await client.rpc({ type: "add", element: op.value }), () => op.value);
        return reply(await client.rpc({ type: "read" }), (b) => sortedNumbers(b.value));
      },
      checkers: [setFullChecker({ add: "add", name: "g-set" })],
    };
  },
};
