/**
 * The kafka checker against a brute-force reference on seeded random small
 * concurrent histories. The reference decides from first principles: per key,
 * it enumerates every log (offset -> message or nothing) over the offsets the
 * history mentions and asks whether one fits every acknowledged send (its own
 * offset, one send per offset) and every ok poll (from min(requested, first
 * returned) to its last offset, exactly the log's entries, in order), with
 * every acknowledged send in every final poll; committed offsets are judged
 * pair by pair in real time (a list shows at least every commit acknowledged,
 * and every list completed, before it began; a requested key it omits shows
 * nothing). Without an ok final poll a history with no anomaly is "unknown".
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { PROPERTY_SEED } from "../../test/support/histories.js";
import { outcomeArbitrary, precedes, slotsArbitrary, type TimedOp, timedHistory } from "../../test/support/timed-history.js";
import { kafkaChecker } from "./kafka.js";

const KEYS = ["a", "b"];
const MSGS = [1, 2, 3];
/** Offsets 0..OFFSET_MAX: with 3 messages the reference tries at most 4^5 logs per key. */
const OFFSET_MAX = 4;

type Entry = [number, number];
type Log = (number | null)[];

/** A hidden log per key, from which most ops are drawn faithfully and some corrupted, so both verdicts are common. */
const logArbitrary = fc.array(fc.oneof(fc.constant(null), fc.constantFrom(...MSGS)), {
  minLength: OFFSET_MAX + 1,
  maxLength: OFFSET_MAX + 1,
});

const stepArbitrary = fc.record({
  kind: fc.constantFrom("send", "send", "poll", "poll", "final-poll", "commit_offsets", "list_committed_offsets"),
  key: fc.nat(KEYS.length - 1),
  a: fc.nat(OFFSET_MAX),
  b: fc.nat(OFFSET_MAX),
  msg: fc.constantFrom(...MSGS),
  corrupt: fc.nat(3).map((x) => x === 0),
  outcome: outcomeArbitrary,
  slots: slotsArbitrary,
});

type Step = typeof stepArbitrary extends fc.Arbitrary<infer S> ? S : never;

const entriesOf = (log: Log, from: number): Entry[] => log.flatMap((m, o) => (m !== null && o >= from ? [[o, m] as Entry] : []));

/** One corruption of a poll's entries, chosen by `pick`: drop, change, reorder or invent an entry. */
function corrupted(entries: Entry[], pick: number, msg: number): Entry[] {
  const out = entries.map((e) => [...e] as Entry);
  const i = pick % Math.max(out.length, 1);
  switch (pick % 4) {
    case 0:
      return out.filter((_, j) => j !== i);
    case 1:
      if (out[i]) out[i] = [out[i][0], msg];
      return out;
    case 2:
      return out.reverse();
    default:
      return [...out, [pick, msg] as Entry].sort((x, y) => x[0] - y[0]);
  }
}

function toOp(logs: Log[], s: Step): TimedOp {
  const key = KEYS[s.key] as string;
  const log = logs[s.key] as Log;
  const ok = (value: unknown, out: unknown): TimedOp => ({
    f: s.kind,
    value,
    type: s.outcome,
    out: s.outcome === "ok" ? out : null,
    ...s.slots,
  });
  switch (s.kind) {
    case "send": {
      const held = entriesOf(log, 0);
      const [offset, msg] = s.corrupt || held.length === 0 ? [s.a, s.msg] : (held[s.a % held.length] as Entry);
      return ok({ key, msg }, { key, msg, offset });
    }
    case "poll": {
      const window = entriesOf(log, s.a).slice(0, s.b);
      return ok(
        { offsets: { [key]: s.a } },
        { offsets: { [key]: s.a }, msgs: { [key]: s.corrupt ? corrupted(window, s.b, s.msg) : window } },
      );
    }
    case "final-poll": {
      const msgs = Object.fromEntries(KEYS.map((k, i) => [k, entriesOf(logs[i] as Log, 0)]));
      if (s.corrupt) msgs[key] = corrupted(msgs[key] as Entry[], s.a, s.msg);
      return { ...ok({ keys: KEYS }, { keys: KEYS, msgs }), type: s.outcome === "fail" ? "info" : s.outcome };
    }
    case "commit_offsets":
      return ok({ offsets: { [key]: s.a } }, { offsets: { [key]: s.a } });
    default: {
      // An offset of OFFSET_MAX stands for "omitted from the reply".
      const offsets = Object.fromEntries(
        KEYS.flatMap((k, i) => ((i === s.key ? s.a : s.b) === OFFSET_MAX ? [] : [[k, i === s.key ? s.a : s.b]])),
      );
      return ok({ keys: KEYS }, { keys: KEYS, offsets });
    }
  }
}

type Out = { key: string; msg: number; offset: number; offsets: Record<string, number>; msgs: Record<string, Entry[]>; keys: string[] };
const outOf = (o: TimedOp) => o.out as Out;
const isOk = (o: TimedOp, f: string) => o.type === "ok" && o.f === f;

/** Every map from the offsets to a message or nothing. */
function* logsOver(offsets: readonly number[], msgs: readonly number[]): Generator<Map<number, number | null>> {
  const choices = [null, ...msgs];
  const total = choices.length ** offsets.length;
  for (let code = 0; code < total; code++) {
    const log = new Map<number, number | null>();
    let rest = code;
    for (const o of offsets) {
      log.set(o, choices[rest % choices.length] as number | null);
      rest = Math.floor(rest / choices.length);
    }
    yield log;
  }
}

function someLogFits(ops: readonly TimedOp[], key: string): boolean {
  const sends = ops.filter((o) => isOk(o, "send") && outOf(o).key === key).map(outOf);
  const polls = ops
    .filter((o) => isOk(o, "poll") || isOk(o, "final-poll"))
    .map((o) => ({
      final: o.f === "final-poll",
      from: o.f === "final-poll" ? 0 : outOf(o).offsets?.[key],
      entries: outOf(o).msgs[key] ?? [],
    }));
  const offsets = [...new Set([...sends.map((s) => s.offset), ...polls.flatMap((p) => p.entries.map((e) => e[0]))])];
  const msgs = [...new Set([...MSGS, ...sends.map((s) => s.msg), ...polls.flatMap((p) => p.entries.map((e) => e[1]))])];
  if (new Set(sends.map((s) => s.offset)).size < sends.length) return false; // one send per offset
  for (const log of logsOver(offsets, msgs)) {
    const fits =
      sends.every((s) => log.get(s.offset) === s.msg) &&
      polls.every((p) => {
        if (p.final && !sends.every((s) => p.entries.some((e) => e[0] === s.offset))) return false;
        if (p.entries.length === 0) return true;
        const lo = Math.min(p.from ?? Infinity, ...p.entries.map((e) => e[0]));
        const hi = Math.max(...p.entries.map((e) => e[0]));
        const window = [...log].filter(([o, m]) => m !== null && o >= lo && o <= hi).sort((x, y) => x[0] - y[0]);
        return JSON.stringify(window) === JSON.stringify(p.entries);
      });
    if (fits) return true;
  }
  return false;
}

function commitsMonotone(ops: readonly TimedOp[]): boolean {
  return ops.every((l, j) => {
    if (!isOk(l, "list_committed_offsets")) return true;
    const shown = (k: string) => outOf(l).offsets[k] ?? (outOf(l).keys.includes(k) ? -1 : Infinity);
    return ops.every(
      (c, i) =>
        !(isOk(c, "commit_offsets") || isOk(c, "list_committed_offsets")) ||
        !precedes(ops, i, j) ||
        Object.entries(outOf(c).offsets).every(([k, o]) => shown(k) >= o),
    );
  });
}

function reference(ops: readonly TimedOp[]): boolean | "unknown" {
  if (!KEYS.every((k) => someLogFits(ops, k)) || !commitsMonotone(ops)) return false;
  return ops.some((o) => isOk(o, "final-poll")) ? true : "unknown";
}

it("kafka agrees with a brute-force reference on seeded random histories", async () => {
  const seen = { true: 0, false: 0, unknown: 0 };
  const anomalies = new Set<string>();
  await fc.assert(
    fc.asyncProperty(
      fc.array(logArbitrary, { minLength: 2, maxLength: 2 }),
      fc.array(stepArbitrary, { minLength: 1, maxLength: 8 }),
      async (logs, steps) => {
        const ops = steps.map((s) => toOp(logs, s));
        const expected = reference(ops);
        const result = await kafkaChecker.check(timedHistory(ops));
        const got = result.valid;
        for (const t of result["anomaly-types"] as string[]) anomalies.add(t);
        seen[String(expected) as keyof typeof seen]++;
        if (got !== expected) throw new Error(`checker ${String(got)}, reference ${String(expected)}: ${JSON.stringify(ops)}`);
      },
    ),
    { seed: PROPERTY_SEED, numRuns: 1500 },
  );
  const runs = seen.true + seen.false + seen.unknown;
  console.log(`kafka reference verdicts over ${runs} runs:`, seen);
  expect(seen.true).toBeGreaterThan(runs * 0.05);
  expect(seen.false).toBeGreaterThan(runs * 0.05);
  // The generator reaches every anomaly class, so agreement covers each of them.
  expect([...anomalies].sort()).toEqual([
    "duplicate-offset",
    "inconsistent-offset",
    "lost-commit",
    "lost-write",
    "nonmonotonic-committed",
    "poll-nonmonotonic",
  ]);
});
