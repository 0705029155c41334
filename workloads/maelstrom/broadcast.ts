/**
 * broadcast: clients broadcast unique integers to any node and read any
 * node's set; each node is told a topology first (and again after a restart).
 * Every acknowledged message must in the end be read on every node; the
 * checker also measures how long messages take to become stable, and counts
 * stale reads and lost messages.
 */
import { setFullChecker } from "../../checkers/maelstrom/set-full.js";
import { source } from "../../src/controller/generator.js";
import { nextFloat } from "../../src/rng.js";
import { finalReads } from "./final.js";
import { topologyOf } from "./topology.js";
import { type MaelstromWorkload, reply } from "./workload.js";

export const broadcast: MaelstromWorkload = {
  name: "broadcast",
  description: "gossip of unique messages over a topology; every acknowledged message reaches every node",
  make(opts) {
    const topology = topologyOf(opts.topology, opts.nodes);
    return {
      generator: source<number>(0, opts.seed, (n, rng0) => {
        const [f, rng] = nextFloat(rng0);
        return f < 0.5 ? [{ f: "broadcast", value: n }, n + 1, rng] : [{ f: "read", value: null }, n, rng];
      }),
      final: () => finalReads(opts.nodes),
      async invoke(client, op) {
        if (op.f === "broadcast") return reply(await client.rpc({ type: "broadcast", message: op.value }), () => op.value);
        return reply(await client.rpc({ type: "read" }), (b) => sortedNumbers(b.messages));
      },
      checkers: [setFullChecker({ add: "broadcast", name: "broadcast" })],
      async setup(node, rpc) {
        const out = await rpc({ type: "topology", topology });
        if (out.type !== "ok") throw new Error(`node ${node} did not accept the topology: ${out.error}`);
      },
    };
  },
};

/** A read's elements, sorted; anything but an array is kept as is for the checker to reject. */
export function sortedNumbers(x: unknown): unknown {
  return Array.isArray(x) ? [...x].sort((a, b) => (a as number) - (b as number)) : x;
}
