/**
 * The set checker of broadcast and g-set (after Maelstrom's set-full):
 * elements are added, and reads return every element a node holds.
 * - lost: an acknowledged element missing from some node's final read (any
 *   of them, when a node is read finally more than once);
 * - unexpected: a read element nobody ever tried to add;
 * - stale: a read that began after an element was acknowledged and lacked it
 *   (allowed: the systems are eventually consistent; counted, not judged);
 * - stable latency: from an element's add to the start of the first read
 *   after which every read had it.
 * Without a final read of every node the verdict is "unknown" (unless
 * something is already lost): nothing proves the elements got there.
 */
import { NS_PER_MS } from "../../src/history/op.js";
import type { Checker, CheckResult } from "../checker.js";
import { F_FINAL_READ, pairs, sample } from "./ops.js";

export interface SetFullOptions {
  /** The f of the adds ("broadcast", "add"). */
  add: string;
  name: string;
}

interface Element {
  value: unknown;
  addNs: number;
  /** Completion time of the ok add; null when not acknowledged. */
  ackNs: number | null;
  /** Completion time of the last read that lacked it. */
  lastAbsentNs: number;
  /** Invoke time of the first read after lastAbsent that held it. */
  stableNs: number | null;
  staleReads: number;
  seen: boolean;
}

export function setFullChecker(opts: SetFullOptions): Checker {
  return {
    name: opts.name,
    async check(history): Promise<CheckResult> {
      const ops = pairs(opts.name, history);
      const elements = new Map<string, Element>();
      for (const p of ops) {
        if (p.f !== opts.add || p.type === "fail") continue;
        const ackNs = p.type === "ok" && p.done ? p.done.time : null;
        const key = JSON.stringify(p.invoke.value);
        // An element added more than once: it exists from its first add and is acknowledged from its first ack.
        const prior = elements.get(key);
        elements.set(key, {
          value: p.invoke.value,
          addNs: Math.min(p.invoke.time, prior?.addNs ?? Infinity),
          ackNs: prior?.ackNs == null ? ackNs : ackNs === null ? prior.ackNs : Math.min(ackNs, prior.ackNs),
          lastAbsentNs: -1,
          stableNs: null,
          staleReads: 0,
          seen: false,
        });
      }
      const reads = ops
        .filter((p) => (p.f === "read" || p.f === F_FINAL_READ) && p.type === "ok" && p.done)
        .sort((a, b) => a.invoke.time - b.invoke.time);
      const unexpected = new Set<string>();
      const malformed: number[] = [];
      // Every ok final read, by node: a node read finally twice must hold every acknowledged element both times.
      const finalNodes = new Map<string, Set<string>[]>();
      for (const r of reads) {
        const value = r.done?.value;
        if (!Array.isArray(value)) {
          malformed.push(r.done?.index ?? r.invoke.index);
          continue;
        }
        const held = new Set(value.map((v) => JSON.stringify(v)));
        for (const v of held) if (!elements.has(v)) unexpected.add(v);
        if (r.f === F_FINAL_READ) finalNodes.set(r.invoke.node ?? "?", [...(finalNodes.get(r.invoke.node ?? "?") ?? []), held]);
        const startNs = r.invoke.time;
        const endNs = (r.done?.time ?? startNs) as number;
        for (const [key, e] of elements) {
          if (e.addNs > endNs) continue;
          if (held.has(key)) {
            e.seen = true;
            if (e.stableNs === null) e.stableNs = startNs;
          } else {
            e.lastAbsentNs = Math.max(e.lastAbsentNs, endNs);
            e.stableNs = null;
            if (e.ackNs !== null && e.ackNs < startNs) e.staleReads++;
          }
        }
      }
      const acked = [...elements.values()].filter((e) => e.ackNs !== null);
      const lost = acked.filter((e) => [...finalNodes.values()].flat().some((held) => !held.has(JSON.stringify(e.value))));
      const stableMs = acked
        .filter((e) => e.stableNs !== null)
        .map((e) => ((e.stableNs as number) - e.addNs) / NS_PER_MS)
        .sort((a, b) => a - b);
      const stale = acked.filter((e) => e.staleReads > 0);
      const finalsAsked = new Set(ops.filter((p) => p.f === F_FINAL_READ).map((p) => p.invoke.node ?? "?"));
      const unread = [...finalsAsked].filter((n) => !finalNodes.has(n)).sort();
      const valid =
        lost.length > 0 || unexpected.size > 0 || malformed.length > 0
          ? false
          : finalNodes.size === 0 || unread.length > 0
            ? "unknown"
            : true;
      return {
        valid,
        "attempt-count": elements.size,
        "acknowledged-count": acked.length,
        "lost-count": lost.length,
        lost: sample(
          lost.map((e) => e.value),
          20,
        ),
        "unexpected-count": unexpected.size,
        unexpected: sample(
          [...unexpected].map((v) => JSON.parse(v) as unknown),
          20,
        ),
        "stale-count": stale.length,
        "stale-read-count": stale.reduce((a, e) => a + e.staleReads, 0),
        "never-read-count": [...elements.values()].filter((e) => !e.seen).length,
        "final-read-nodes": [...finalNodes.keys()].sort(),
        "stable-latencies-ms": quantiles(stableMs),
        ...(malformed.length ? { "malformed-reads": sample(malformed) } : {}),
        ...(finalNodes.size === 0 || unread.length > 0
          ? { note: `no final read of ${unread.join(", ") || "any node"}: whether acknowledged elements reached every node is unknown` }
          : {}),
      };
    },
  };
}

function quantiles(sorted: readonly number[]): Record<string, number> | null {
  if (sorted.length === 0) return null;
  const q = (f: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] as number) * 10) / 10;
  return { "0": q(0), "0.5": q(0.5), "0.95": q(0.95), "0.99": q(0.99), "1": q(1) };
}
