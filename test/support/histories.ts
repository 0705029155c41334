import fc from "fast-check";
import type { History, Op } from "../../src/history/op.js";

/**
 * Random small concurrent histories for property tests, as fast-check
 * arbitraries: a history is built from a script of steps, so fast-check
 * shrinks it by dropping steps and lowering choices, and every script builds a
 * well-formed history (each process alternates invoke and completion; a
 * process whose op ended `info` never returns, as in Jepsen).
 */
export interface OpChoice {
  f: string;
  value: unknown;
  /** What a read or dequeue observed, for a given pick; other ops repeat their invocation's value. */
  output: (pick: number) => unknown;
  /** The completion carries `output` (reads, dequeues and, by default, nothing else). */
  observes?: boolean;
}

export const registerChoices: OpChoice[] = [
  { f: "read", value: null, output: (k) => [null, 0, 1, 2][k % 4] },
  { f: "write", value: 0, output: () => null },
  { f: "write", value: 1, output: () => null },
  { f: "write", value: 2, output: () => null },
  { f: "cas", value: [null, 1], output: () => null },
  { f: "cas", value: [0, 2], output: () => null },
  { f: "cas", value: [1, 0], output: () => null },
];

/** kv ops (key by key): "x" is reached by a write and by an append, so one value has two paths. */
export const kvChoices: OpChoice[] = [
  { f: "read", value: null, output: (k) => ["", "x", "xy", "yx"][k % 4] },
  { f: "append", value: "x", output: () => null },
  { f: "append", value: "y", output: () => null },
  { f: "write", value: "x", output: () => null },
  { f: "cas", value: ["x", ""], output: () => null },
];

export const queueChoices: OpChoice[] = [
  { f: "enqueue", value: 1, output: () => null },
  { f: "enqueue", value: 2, output: () => null },
  { f: "enqueue", value: 3, output: () => null },
  { f: "dequeue", value: null, output: (k) => [null, 1, 2, 3][k % 4] },
];

/** A lock: an acquire's completion carries its fencing token, which may repeat or go back. */
export const lockChoices: OpChoice[] = [
  { f: "acquire", value: null, output: (k) => [1, 2, 3, 2][k % 4], observes: true },
  { f: "release", value: null, output: () => null },
];

interface Step {
  process: number;
  choice: number;
  outcome: "ok" | "info" | "fail";
  pick: number;
  key: number;
}

function build(steps: Step[], choices: OpChoice[], keys: number): History {
  const history: History = [];
  const open = new Map<number, { c: OpChoice; key: number }>();
  const crashed = new Set<number>();
  const push = (op: Omit<Op, "index" | "time">) => history.push({ ...op, index: history.length, time: history.length } as Op);
  for (const s of steps) {
    if (crashed.has(s.process)) continue;
    const keyed = (key: number) => (keys > 1 ? { key: String.fromCharCode(97 + key) } : {});
    const pending = open.get(s.process);
    if (pending === undefined) {
      const c = choices[s.choice % choices.length];
      open.set(s.process, { c, key: s.key % keys });
      push({ process: s.process, type: "invoke", f: c.f, value: c.value, ...keyed(s.key % keys) });
      continue;
    }
    open.delete(s.process);
    const { c, key } = pending;
    if (s.outcome === "info") crashed.add(s.process);
    const observes = c.observes ?? (c.f === "read" || c.f === "dequeue");
    const value = observes ? (s.outcome === "ok" ? c.output(s.pick) : null) : c.value;
    push({ process: s.process, type: s.outcome, f: c.f, value, ...keyed(key) });
  }
  return history;
}

/** A history of up to `stepsMax` steps over up to 4 processes and `keys` keys (named a, b, ...). */
export function historyArbitrary(choices: OpChoice[], opts: { stepsMax?: number; keys?: number } = {}): fc.Arbitrary<History> {
  const keys = opts.keys ?? 1;
  const step = fc.record({
    process: fc.nat(3),
    choice: fc.nat(choices.length - 1),
    // ok most often: info and fail are the rarer, interesting cases.
    outcome: fc.oneof(
      { weight: 6, arbitrary: fc.constant("ok" as const) },
      { weight: 1, arbitrary: fc.constant("info" as const) },
      { weight: 1, arbitrary: fc.constant("fail" as const) },
    ),
    pick: fc.nat(3),
    key: fc.nat(keys - 1),
  });
  return fc.array(step, { maxLength: opts.stepsMax ?? 16 }).map((steps) => build(steps, choices, keys));
}

/** The seed of every property run: fixed, so CI is repeatable; FC_SEED replays another. */
export const PROPERTY_SEED = Number(process.env.FC_SEED ?? 20261130);
