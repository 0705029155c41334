/**
 * kv: reads and writes over many keys with skewed (Zipf) access, as real
 * stores see: a few hot keys take most ops. Writes carry unique values, which
 * keeps the per-key linearizability search cheap even on the hot keys.
 */
import { source } from "../src/controller/generator.js";
import { nextFloat, nextZipf, zipfTable } from "../src/rng.js";
import { registerChecker, registerClient } from "./register-client.js";
import type { Workload } from "./workload.js";

const KEYS = 200;
const ZIPF_EXPONENT = 1.0;
const READ_FRACTION = 0.6;

export const kv: Workload = {
  name: "kv",
  description: `reads and unique writes over ${KEYS} keys with Zipf-skewed access; per-key linearizability`,
  requires: ["get", "put"],
  defaultNemesis: ["kill", "partition"],
  make(opts) {
    const cdf = zipfTable(KEYS, ZIPF_EXPONENT);
    const generator = source<number>(0, opts.seed, (n, rng0) => {
      let [k, rng] = nextZipf(rng0, cdf);
      let f: number;
      [f, rng] = nextFloat(rng);
      const key = `k${k}`;
      const body = f < READ_FRACTION ? { f: "read", key, value: null } : { f: "write", key, value: n };
      return [body, n + 1, rng];
    });
    return { generator, final: null, invoke: registerClient(opts.readConsistency), checkers: [registerChecker()] };
  },
};
