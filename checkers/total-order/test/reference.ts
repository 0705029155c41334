/**
 * The total order broadcast properties evaluated straight from their
 * definitions (see ../properties.ts and ../positions.ts), by brute force over
 * every pair of reads and claims: quadratic, obvious, and independent of the
 * checker's linear passes. Test support only: the oracle of property.test.ts.
 */
import type { Op } from "../../../src/history/op.js";
import { PROPERTY_NAMES, type PropertyName } from "../index.js";

interface RefRead {
  node: string;
  final: boolean;
  seq: string[];
}

interface RefBroadcast {
  message: string;
  process: string | number;
  outcome: "ok" | "fail" | "info" | "pending";
  seq?: number;
}

/** Assumes a well-formed history (the generator makes only those): one op at a time per process. */
function readBack(history: Op[]): { broadcasts: RefBroadcast[]; reads: RefRead[] } {
  const broadcasts: RefBroadcast[] = [];
  const reads: RefRead[] = [];
  const open = new Map<string | number, Op>();
  for (const op of history) {
    if (op.type === "invoke") {
      open.set(op.process, op);
      if (op.f === "broadcast") broadcasts.push({ message: op.value as string, process: op.process, outcome: "pending" });
      continue;
    }
    const invoke = open.get(op.process)!;
    open.delete(op.process);
    if (op.f === "broadcast") {
      const b = broadcasts.find((x) => x.message === invoke.value)!;
      b.outcome = op.type as RefBroadcast["outcome"];
      if (op.type === "ok") b.seq = (op.value as { seq: number }).seq;
    } else if (op.type === "ok") {
      reads.push({ node: (op.node ?? invoke.node)!, final: op.f === "final-deliveries", seq: op.value as string[] });
    }
  }
  return { broadcasts, reads };
}

/** The names of the failed properties, FIFO included, in PROPERTY_NAMES order. */
export function referenceFailed(history: Op[]): PropertyName[] {
  const { broadcasts, reads } = readBack(history);
  const outcomeOf = new Map(broadcasts.map((b) => [b.message, b.outcome]));
  const finals = reads.filter((r) => r.final);
  const correct = [...new Set(finals.map((r) => r.node))];
  const broken = new Set<PropertyName>();

  for (const r of reads) {
    r.seq.forEach((m, i) => {
      if (!outcomeOf.has(m) || outcomeOf.get(m) === "fail" || r.seq.indexOf(m) !== i) broken.add("integrity");
    });
  }
  for (const f1 of finals)
    for (const f2 of finals) {
      for (let i = 0; i < Math.min(f1.seq.length, f2.seq.length); i++) if (f1.seq[i] !== f2.seq[i]) broken.add("total-order");
    }
  for (const r of reads)
    for (const m of r.seq)
      for (const node of correct) {
        if (!finals.some((f) => f.node === node && f.seq.includes(m))) broken.add("agreement");
      }
  for (const b of broadcasts) if (b.outcome === "ok" && !finals.some((f) => f.seq.includes(b.message))) broken.add("no-loss");

  const claims: { m: string; p: number; run: boolean }[] = [];
  for (const r of reads) r.seq.forEach((m, i) => r.seq.indexOf(m) === i && claims.push({ m, p: i + 1, run: !r.final }));
  for (const b of broadcasts) if (b.outcome === "ok") claims.push({ m: b.message, p: b.seq!, run: true });
  for (const c1 of claims)
    for (const c2 of claims) {
      if (c1.run && (c1.m === c2.m) !== (c1.p === c2.p)) broken.add("order-fixed");
    }

  const finalPos = (m: string): number | undefined => {
    const found = finals.map((f) => f.seq.indexOf(m)).filter((i) => i >= 0);
    return found.length === 0 ? undefined : Math.min(...found) + 1;
  };
  for (const process of new Set(broadcasts.map((b) => b.process))) {
    const mine = broadcasts.filter((b) => b.process === process);
    mine.forEach((earlier, i) =>
      mine.slice(i + 1).forEach((later) => {
        const [p1, p2] = [finalPos(earlier.message), finalPos(later.message)];
        if (earlier.outcome === "ok" && p1 !== undefined && p2 !== undefined && p2 < p1) broken.add("fifo");
      }),
    );
  }

  const judged = (name: PropertyName) => finals.length > 0 || name === "integrity" || name === "order-fixed";
  return PROPERTY_NAMES.filter((name) => broken.has(name) && judged(name));
}
