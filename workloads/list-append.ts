/**
 * list-append: transactions of appends and reads over a few keys at a time,
 * for the Elle-style checker (checkers/elle): it infers the order of
 * transactions from the lists read and looks for cycles (G0, G1c, G2, ...),
 * with real-time edges, i.e. strict serializability. Every element appended
 * to a key is unique (a run-wide counter).
 */
import type { TxnMicroOp } from "../clusters/cluster.js";
import { elleListAppendChecker } from "../checkers/elle/index.js";
import { F_TXN } from "../checkers/elle/txns.js";
import { source } from "../src/controller/generator.js";
import { nextFloat, nextInt } from "../src/rng.js";
import { windowKey, type KeyWindow } from "./keys.js";
import { completion, need, type Workload } from "./workload.js";

const WINDOW: KeyWindow = { prefix: "", width: 5, opsPerKey: 30 };
const MICRO_OPS_MAX = 4;

export const listAppend: Workload = {
  name: "list-append",
  description: "transactions of appends and reads; Elle-style cycle search for strict serializability",
  requires: ["txn"],
  defaultNemesis: ["kill", "partition"],
  make(opts) {
    const generator = source<number>(0, opts.seed, (n, rng0) => {
      let [count, rng] = nextInt(rng0, MICRO_OPS_MAX);
      const ops: TxnMicroOp[] = [];
      let element = n;
      for (let i = 0; i <= count; i++) {
        let key: string;
        let f: number;
        [key, rng] = windowKey(WINDOW, n, rng);
        [f, rng] = nextFloat(rng);
        if (f < 0.5) ops.push(["r", `x${key}`, null]);
        else ops.push(["append", `x${key}`, element++]);
      }
      // The counter moves by the elements used, so every append is unique run-wide.
      return [{ f: F_TXN, value: ops }, element + 1, rng];
    });
    return {
      generator,
      final: null,
      invoke: async (client, op) => completion(await need(client, "txn")(op.value as TxnMicroOp[]), (filled) => filled),
      checkers: [elleListAppendChecker()],
    };
  },
};
