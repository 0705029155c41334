/** unique-ids: `generate` returns an id never returned before, by any node, whatever the faults. */
import { uniqueIdsChecker } from "../../checkers/maelstrom/unique-ids.js";
import { source } from "../../src/controller/generator.js";
import { type MaelstromWorkload, reply } from "./workload.js";

export const uniqueIds: MaelstromWorkload = {
  name: "unique-ids",
  description: "every generated id is unique across the cluster",
  make(opts) {
    return {
      generator: source<null>(null, opts.seed, (s, rng) => [{ f: "generate", value: null }, s, rng]),
      final: null,
      invoke: async (client, op) => reply(await client.rpc({ type: "generate" }), (b) => b.id),
      checkers: [uniqueIdsChecker],
    };
  },
};
