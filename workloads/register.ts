/**
 * register: read, write and cas on a few keys at a time, checked key by key for
 * linearizability. Small values make cas contend and reads meaningful.
 */
import { source } from "../src/controller/generator.js";
import { nextInt, pickWeighted } from "../src/rng.js";
import { windowKey, type KeyWindow } from "./keys.js";
import { registerChecker, registerClient } from "./register-client.js";
import type { Workload } from "./workload.js";

const WINDOW: KeyWindow = { prefix: "r", width: 4, opsPerKey: 60 };
const VALUES = 5;
const FS = ["read", "write", "cas"] as const;
const WEIGHTS = [2, 1, 1];

export const register: Workload = {
  name: "register",
  description: "read/write/cas on a sliding window of keys; per-key linearizability",
  requires: ["get", "put", "cas"],
  defaultNemesis: ["kill", "partition"],
  make(opts) {
    const generator = source<number>(0, opts.seed, (n, rng0) => {
      let [i, rng] = pickWeighted(rng0, WEIGHTS);
      let key: string;
      let a: number;
      let b: number;
      [key, rng] = windowKey(WINDOW, n, rng);
      [a, rng] = nextInt(rng, VALUES);
      [b, rng] = nextInt(rng, VALUES);
      const f = FS[i] as (typeof FS)[number];
      const value = f === "read" ? null : f === "write" ? a : [a, b];
      return [{ f, key, value }, n + 1, rng];
    });
    return { generator, final: null, invoke: registerClient(opts.readConsistency), checkers: [registerChecker()] };
  },
};
