/**
 * lin-kv: reads, writes and compare-and-sets on a sliding window of integer
 * keys, judged by our linearizability checker with the register model. A
 * missing key reads as null; a cas whose key is missing or whose value
 * differs certainly did not happen (Maelstrom's codes 20 and 22): a fail.
 */
import { source } from "../../src/controller/generator.js";
import { nextFloat, nextInt } from "../../src/rng.js";
import { windowKey } from "../keys.js";
import { registerChecker } from "../register-client.js";
import type { Completion } from "../workload.js";
import { type MaelstromWorkload, reply } from "./workload.js";

const VALUES = 5;
const OPS_PER_KEY = 60;
const KEY_MISSING = "20 ";

export const linKv: MaelstromWorkload = {
  name: "lin-kv",
  description: "a linearizable key-value store: read, write, cas",
  make(opts) {
    const window = { prefix: "", width: opts.keyCount, opsPerKey: OPS_PER_KEY };
    return {
      generator: source<number>(0, opts.seed, (n, rng0) => {
        let [key, rng] = windowKey(window, n, rng0);
        let f: number;
        let a: number;
        let b: number;
        [f, rng] = nextFloat(rng);
        [a, rng] = nextInt(rng, VALUES);
        [b, rng] = nextInt(rng, VALUES);
        if (f < 0.5) return [{ f: "read", key, value: null }, n + 1, rng];
        if (f < 0.75) return [{ f: "write", key, value: a }, n + 1, rng];
        return [{ f: "cas", key, value: [a, b] }, n + 1, rng];
      }),
      final: null,
      async invoke(client, op): Promise<Completion> {
        const key = Number(op.key);
        if (op.f === "read") {
          const out = await client.rpc({ type: "read", key });
          if (out.type === "fail" && out.error.startsWith(KEY_MISSING)) return { type: "ok", value: null };
          return reply(out, (body) => body.value ?? null);
        }
        if (op.f === "write") return reply(await client.rpc({ type: "write", key, value: op.value }), () => op.value);
        const [from, to] = op.value as [number, number];
        return reply(await client.rpc({ type: "cas", key, from, to }), () => op.value);
      },
      checkers: [registerChecker()],
    };
  },
};
