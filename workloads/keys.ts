/**
 * A sliding window of keys (Jepsen's independent keys): `width` keys are live
 * at a time, and the window moves on every `opsPerKey` ops. Each key then sees
 * a bounded number of ops, so the per-key linearizability search stays small
 * however long the run, and a key wedged by an unknown outcome (a lock taken
 * by a process that died) is left behind.
 */
import { nextInt, type RngState } from "../src/rng.js";

export interface KeyWindow {
  prefix: string;
  width: number;
  opsPerKey: number;
}

/** The key for the `n`th op of the run. */
export function windowKey(w: KeyWindow, n: number, rng: RngState): [string, RngState] {
  const base = Math.floor(n / w.opsPerKey);
  const [offset, next] = nextInt(rng, w.width);
  return [`${w.prefix}${base + offset}`, next];
}
