/**
 * The kafka workload's checker: one log per key, as every client saw it.
 * - duplicate-offset: two acknowledged sends got the same offset of a key;
 * - inconsistent-offset: an offset of a key holds different messages in
 *   different sends or polls (there would be two logs);
 * - poll-nonmonotonic: a poll's offsets of a key do not strictly increase;
 * - lost-write: an acknowledged send missing from a final poll, or an entry
 *   of the log (acknowledged or polled by anyone) skipped by a poll: a poll
 *   returns consecutive entries from its requested offset (a final poll's is
 *   0) to its last; entries below the requested offset are tolerated;
 * - lost-commit: a list of committed offsets, begun after a commit was
 *   acknowledged, shows a lower offset for its key, or omits the key though
 *   it asked for it (a key with a commit exists);
 * - nonmonotonic-committed: a list shows a lower offset than a list that
 *   completed before it began (or omits a key it asked for and that list showed).
 * Without any final poll the verdict is at best "unknown".
 */
import type { Checker, CheckResult } from "../checker.js";
import { pairs, sample } from "./ops.js";

type Entries = Record<string, [number, unknown][]>;

const ANOMALIES_KEPT = 10;

export const kafkaChecker: Checker = {
  name: "kafka",
  async check(history): Promise<CheckResult> {
    const ops = pairs("kafka", history);
    const found = new Map<string, unknown[]>();
    const note = (type: string, detail: unknown) => {
      const list = found.get(type) ?? [];
      list.push(detail);
      found.set(type, list);
    };
    // key -> offset -> message, from sends and polls alike
    const logs = new Map<string, Map<number, unknown>>();
    const logOf = (k: string) => logs.get(k) ?? logs.set(k, new Map()).get(k)!;
    const record = (k: string, offset: number, msg: unknown, index: number) => {
      const log = logOf(k);
      if (!log.has(offset)) return void log.set(offset, msg);
      if (JSON.stringify(log.get(offset)) !== JSON.stringify(msg))
        note("inconsistent-offset", { key: k, offset, messages: [log.get(offset), msg], index });
    };
    const acked: { key: string; offset: number; msg: unknown; index: number }[] = [];
    const sentAt = new Map<string, number>();
    for (const p of ops) {
      if (p.f !== "send" || p.type !== "ok" || !p.done) continue;
      const v = p.done.value as { key: string; msg: unknown; offset: unknown };
      if (!Number.isInteger(v.offset)) {
        note("malformed", { index: p.done.index, why: "send_ok without an integer offset" });
        continue;
      }
      const offset = v.offset as number;
      const slot = `${v.key}\u0000${offset}`;
      if (sentAt.has(slot)) note("duplicate-offset", { key: v.key, offset, indexes: [sentAt.get(slot), p.done.index] });
      sentAt.set(slot, p.done.index);
      acked.push({ key: v.key, offset, msg: v.msg, index: p.done.index });
    }
    for (const a of acked) record(a.key, a.offset, a.msg, a.index);
    const finals: Entries[] = [];
    const spans: { key: string; fromOffset: number; lastOffset: number; polled: Set<number>; index: number }[] = [];
    for (const p of ops) {
      if ((p.f !== "poll" && p.f !== "final-poll") || p.type !== "ok" || !p.done) continue;
      const msgs = ((p.done.value as { msgs?: Entries } | null)?.msgs ?? {}) as Entries;
      if (p.f === "final-poll") finals.push(msgs);
      for (const [k, entries] of Object.entries(msgs)) {
        if (!Array.isArray(entries)) {
          note("malformed", { index: p.done.index, key: k, why: "a key's entries are not a list" });
          continue;
        }
        let last = -Infinity;
        let lowest = Infinity;
        let highest = -Infinity;
        const polled = new Set<number>();
        for (const e of entries) {
          const offset = Array.isArray(e) ? e[0] : undefined;
          if (!Number.isInteger(offset)) {
            note("malformed", { index: p.done.index, key: k, why: "an entry is not [offset, msg]" });
            continue;
          }
          if ((offset as number) <= last) note("poll-nonmonotonic", { index: p.done.index, key: k, offsets: [last, offset] });
          last = offset as number;
          lowest = Math.min(lowest, last);
          highest = Math.max(highest, last);
          polled.add(last);
          record(k, last, e[1], p.done.index);
        }
        if (polled.size === 0) continue;
        // A poll returns consecutive entries from its requested offset (a final poll: from 0).
        const requested = p.f === "final-poll" ? 0 : requestedOffset(p, k);
        spans.push({ key: k, fromOffset: Math.min(requested ?? lowest, lowest), lastOffset: highest, polled, index: p.done.index });
      }
    }
    // Judged once every send and poll has filled the logs: an entry anyone saw, inside a poll's span, must be in
    // it. Each key's offsets sorted once, so a span costs a search plus the entries it covers.
    const sortedOffsets = new Map([...logs].map(([k, log]) => [k, [...log.keys()].sort((a, b) => a - b)]));
    for (const s of spans) {
      const offsets = sortedOffsets.get(s.key) as number[];
      for (let i = firstAtLeast(offsets, s.fromOffset); i < offsets.length && (offsets[i] as number) <= s.lastOffset; i++) {
        const offset = offsets[i] as number;
        if (!s.polled.has(offset)) note("lost-write", { key: s.key, offset, msg: logOf(s.key).get(offset), "skipped-by": s.index });
      }
    }
    for (const a of acked) {
      for (const f of finals) {
        const entries = f[a.key];
        if (!Array.isArray(entries) || !entries.some((e) => Array.isArray(e) && e[0] === a.offset)) {
          note("lost-write", { key: a.key, offset: a.offset, msg: a.msg, "missing-from": "final-poll" });
          break;
        }
      }
    }
    checkCommits(ops, note);
    const types = [...found.keys()].sort();
    return {
      valid: types.length > 0 ? false : finals.length === 0 ? "unknown" : true,
      "anomaly-types": types,
      "anomaly-counts": Object.fromEntries(types.map((t) => [t, found.get(t)!.length])),
      anomalies: Object.fromEntries(types.map((t) => [t, sample(found.get(t)!, ANOMALIES_KEPT)])),
      "acknowledged-sends": acked.length,
      keys: logs.size,
      "final-polls": finals.length,
      ...(finals.length === 0 ? { note: "no final poll succeeded: lost writes cannot be ruled out" } : {}),
    };
  },
};

/** The index of the first of the sorted `offsets` at or above `offset`. */
function firstAtLeast(offsets: readonly number[], offset: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid] as number) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The offset a poll asked for on key `k`, if it says. */
function requestedOffset(p: ReturnType<typeof pairs>[number], k: string): number | undefined {
  for (const v of [p.done?.value, p.invoke.value]) {
    const o = (v as { offsets?: Record<string, unknown> } | null)?.offsets?.[k];
    if (Number.isInteger(o)) return o as number;
  }
  return undefined;
}

function checkCommits(ops: ReturnType<typeof pairs>, note: (type: string, detail: unknown) => void): void {
  // Events in time: a commit counts once acknowledged; a list is judged at its start and counts once complete.
  type Ev = { at: number; kind: "commit" | "list-start" | "list-done"; offsets: Record<string, number>; index: number };
  const evs: Ev[] = [];
  for (const p of ops) {
    if (p.type !== "ok" || !p.done) continue;
    const v = p.done.value as { offsets?: Record<string, number> } | null;
    if (p.f === "commit_offsets") evs.push({ at: p.done.time, kind: "commit", offsets: v?.offsets ?? {}, index: p.done.index });
    if (p.f === "list_committed_offsets") {
      // A key asked for and left out has no committed offset: -1, below any commit.
      const asked = [p.done.value, p.invoke.value].map((x) => (x as { keys?: unknown } | null)?.keys).find(Array.isArray) ?? [];
      const shown = { ...Object.fromEntries(asked.map((k) => [String(k), -1])), ...(v?.offsets ?? {}) };
      evs.push({ at: p.invoke.time, kind: "list-start", offsets: shown, index: p.done.index });
      evs.push({ at: p.done.time, kind: "list-done", offsets: v?.offsets ?? {}, index: p.done.index });
    }
  }
  evs.sort((a, b) => a.at - b.at);
  const committed = new Map<string, number>();
  const listed = new Map<string, number>();
  for (const e of evs) {
    for (const [k, o] of Object.entries(e.offsets)) {
      if (e.kind === "commit") committed.set(k, Math.max(committed.get(k) ?? -1, o));
      else if (e.kind === "list-done") listed.set(k, Math.max(listed.get(k) ?? -1, o));
      else {
        if (o < (committed.get(k) ?? -1)) note("lost-commit", { key: k, listed: o, committed: committed.get(k), index: e.index });
        if (o < (listed.get(k) ?? -1)) note("nonmonotonic-committed", { key: k, listed: o, earlier: listed.get(k), index: e.index });
      }
    }
  }
}
