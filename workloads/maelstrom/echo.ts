/** echo: every node answers `echo` with the same text; the checker holds it to that. */
import { echoChecker } from "../../checkers/maelstrom/echo.js";
import { source } from "../../src/controller/generator.js";
import { type MaelstromWorkload, reply } from "./workload.js";

export const echo: MaelstromWorkload = {
  name: "echo",
  description: "each request's text comes back unchanged",
  make(opts) {
    return {
      generator: source<number>(0, opts.seed, (n, rng) => [{ f: "echo", value: `Please echo ${n}` }, n + 1, rng]),
      final: null,
      invoke: async (client, op) => reply(await client.rpc({ type: "echo", echo: op.value }), (b) => b.echo),
      checkers: [echoChecker],
    };
  },
};
