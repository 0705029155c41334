/**
 * The kafka workload's checker: one log per key, as every client saw it.
 * - duplicate-offset: two acknowledged sends got the same offset of a key;
 * - inconsistent-offset: an offset of a key holds different messages in
 *   different sends or polls (there would be two logs);
 * - poll-nonmonotonic: a poll's offsets of a key do not strictly increase;
 * - lost-write: an acknowledged send missing from a final poll, or skipped by
 *   a poll whose returned offsets span it (polls return consecutive entries);
 * - lost-commit: a list of committed offsets, begun after a commit was
 *   acknowledged, shows a lower offset for its key;
 * - nonmonotonic-committed: a list shows a lower offset than a list that
 *   completed before it began.
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
        for (const e of entries) {
          const offset = Array.isArray(e) ? e[0] : undefined;
          if (!Number.isInteger(offset)) {
            note("malformed", { index: p.done.index, key: k, why: "an entry is not [offset, msg]" });
            continue;
          }
          if ((offset as number) <= last) note("poll-nonmonotonic", { index: p.done.index, key: k, offsets: [last, offset] });
          last = offset as number;
          record(k, offset as number, e[1], p.done.index);
        }
        // Entries are consecutive: an acknowledged offset inside the span they cover must be among them.
        const polled = new Set(entries.filter(Array.isArray).map((e) => e[0]));
        const first = entries[0]?.[0];
        if (typeof first === "number" && polled.size > 0) {
          for (const a of acked) {
            if (a.key === k && a.offset > first && a.offset < last && !polled.has(a.offset))
              note("lost-write", { key: k, offset: a.offset, msg: a.msg, "skipped-by": p.done.index });
          }
        }
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

function checkCommits(ops: ReturnType<typeof pairs>, note: (type: string, detail: unknown) => void): void {
  // Events in time: a commit counts once acknowledged; a list is judged at its start and counts once complete.
  type Ev = { at: number; kind: "commit" | "list-start" | "list-done"; offsets: Record<string, number>; index: number };
  const evs: Ev[] = [];
  for (const p of ops) {
    if (p.type !== "ok" || !p.done) continue;
    const v = p.done.value as { offsets?: Record<string, number> } | null;
    if (p.f === "commit_offsets") evs.push({ at: p.done.time, kind: "commit", offsets: v?.offsets ?? {}, index: p.done.index });
    if (p.f === "list_committed_offsets") {
      evs.push({ at: p.invoke.time, kind: "list-start", offsets: v?.offsets ?? {}, index: p.done.index });
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
