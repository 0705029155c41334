/**
 * txn-list-append and txn-rw-register: transactions of micro-ops over a
 * window of `key-count` integer keys; a key retires after
 * `max-writes-per-key` writes and a fresh one takes its place (Elle's
 * approach: short version orders, cheap checks). Every written element is
 * unique run-wide. Judged by our Elle-style checker for strict serializability.
 */
import type { Checker } from "../../checkers/checker.js";
import { elleListAppendChecker, elleRwRegisterChecker } from "../../checkers/elle/index.js";
import { source } from "../../src/controller/generator.js";
import { nextFloat, nextInt, type RngState } from "../../src/rng.js";
import { type MaelstromWorkload, type MaelstromWorkloadOptions, reply } from "./workload.js";

type MicroOp = [string, number, unknown];

interface KeyState {
  /** Live keys. */
  keys: number[];
  /** Writes each live key has had. */
  writes: number[];
  nextKey: number;
  nextElement: number;
}

function txnWorkload(name: string, write: "append" | "w", checker: () => Checker): MaelstromWorkload {
  return {
    name,
    description: `transactions of reads and ${write === "append" ? "list appends" : "register writes"}; Elle-style cycle search`,
    make(opts) {
      const init: KeyState = {
        keys: range(opts.keyCount),
        writes: range(opts.keyCount).map(() => 0),
        nextKey: opts.keyCount,
        nextElement: 1,
      };
      return {
        generator: source<KeyState>(init, opts.seed, (s0, rng0) => {
          const [txn, s, rng] = makeTxn(s0, rng0, opts, write);
          return [{ f: "txn", value: txn }, s, rng];
        }),
        final: null,
        invoke: async (client, op) =>
          reply(await client.rpc({ type: "txn", txn: op.value }), (b) => (write === "append" ? emptyListsRead(b.txn) : b.txn)),
        checkers: [checker()],
      };
    },
  };
}

function makeTxn(s0: KeyState, rng0: RngState, opts: MaelstromWorkloadOptions, write: string): [MicroOp[], KeyState, RngState] {
  const s: KeyState = { ...s0, keys: [...s0.keys], writes: [...s0.writes] };
  let [len, rng] = nextInt(rng0, opts.maxTxnLength);
  const txn: MicroOp[] = [];
  for (let i = 0; i <= len; i++) {
    let slot: number;
    let f: number;
    [slot, rng] = nextInt(rng, s.keys.length);
    [f, rng] = nextFloat(rng);
    const key = s.keys[slot] as number;
    if (f < 0.5) {
      txn.push(["r", key, null]);
      continue;
    }
    txn.push([write, key, s.nextElement++]);
    s.writes[slot] = (s.writes[slot] as number) + 1;
    if ((s.writes[slot] as number) >= opts.maxWritesPerKey) {
      s.keys[slot] = s.nextKey++;
      s.writes[slot] = 0;
    }
  }
  return [txn, s, rng];
}

/** Maelstrom lets a node read a missing list as null; Elle reads it as the empty list. */
function emptyListsRead(txn: unknown): unknown {
  if (!Array.isArray(txn)) return txn;
  return txn.map((m: unknown) => (Array.isArray(m) && m[0] === "r" && m[2] === null ? ["r", m[1], []] : m));
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

export const txnListAppend = txnWorkload("txn-list-append", "append", () => elleListAppendChecker());
export const txnRwRegister = txnWorkload("txn-rw-register", "w", () => elleRwRegisterChecker());
