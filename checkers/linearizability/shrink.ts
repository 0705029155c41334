import type { History, Op } from "../../src/history/op.js";
import type { Operation } from "../../src/history/pair.js";
import { checkOperations } from "./check.js";
import type { Model } from "./model.js";
import { makeModel } from "./models/index.js";
import { observedWriters, sameSignature, signatureOf, type FailureSignature } from "./signature.js";

export interface ShrinkOptions {
  model: string | Model;
  initial?: unknown;
  /** Budget of each trial check; a trial that runs out counts as "not shown invalid". */
  checkTimeoutMs?: number;
  /** Budget of the whole shrink; past it, the smallest invalid history so far is returned. */
  budgetMs?: number;
}

export interface ShrinkResult {
  ops: Operation[];
  history: History;
  checks: number;
  /** True if the budget ran out before a 1-minimal history was reached. */
  exhausted: boolean;
  /** The failure kept: the original's, which the shrunk history shares. */
  signature: FailureSignature;
}

/**
 * Delta debugging (Zeller's ddmin, complement half): remove ever smaller
 * chunks while the rest still fails the test. `test` is monotone enough in
 * practice; the result is 1-minimal when the budget allows.
 */
async function ddmin<T>(items: T[], test: (xs: T[]) => Promise<boolean>, outOfTime: () => boolean): Promise<T[]> {
  let current = items;
  let n = 2;
  for (let round = 0; current.length >= 2 && round < 100_000 && !outOfTime(); round++) {
    const size = Math.ceil(current.length / n);
    let reduced = false;
    for (let start = 0; start < current.length && !outOfTime(); start += size) {
      const rest = [...current.slice(0, start), ...current.slice(start + size)];
      if (rest.length > 0 && (await test(rest))) {
        current = rest;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= current.length) break;
      n = Math.min(current.length, n * 2);
    }
  }
  return current;
}

/**
 * Ops back to a history. An unknown outcome gets its `info` right after the
 * invoke: its effect window is open-ended either way, and this keeps the
 * process free to invoke again later.
 */
export function toHistory(ops: Operation[]): History {
  const events: Array<{ at: number; op: Omit<Op, "index" | "time"> }> = [];
  for (const op of ops) {
    const base = { process: op.process, f: op.f, ...(op.key === undefined ? {} : { key: op.key }) };
    events.push({ at: op.invoke, op: { ...base, type: "invoke", value: op.value ?? null } });
    if (op.known) events.push({ at: op.complete, op: { ...base, type: "ok", value: op.output ?? null } });
    else events.push({ at: op.invoke + 0.5, op: { ...base, type: "info", value: op.value ?? null } });
  }
  events.sort((a, b) => a.at - b.at);
  return events.map((e, index) => ({ index, time: index, ...e.op }) as Op);
}

/**
 * Shrinks an invalid history (all its partitions, unknown-outcome ops too) to
 * a small one that fails for the same reason: the same stuck op and the same
 * kind of failure (signature.ts), with every read kept still able to see a
 * write it observed. Whole partitions go first, then whole processes, then
 * single ops.
 */
export async function shrink(ops: Operation[], opts: ShrinkOptions): Promise<ShrinkResult> {
  const model = typeof opts.model === "string" ? makeModel(opts.model, opts.initial) : opts.model;
  const until = Date.now() + (opts.budgetMs ?? 60_000);
  const outOfTime = () => Date.now() >= until;
  let checks = 0;
  const check = async (subset: Operation[]) => {
    checks++;
    return checkOperations(subset, { model, timeoutMs: opts.checkTimeoutMs ?? 2_000, workers: 0 });
  };
  const original = await check(ops);
  const target = original.result.anomalies[0];
  if (original.result.valid !== false || target === undefined) throw new Error("shrink: the history given is not shown invalid");
  const home = original.partitions.find((p) => p.name === target.partition);
  if (home === undefined) throw new Error(`shrink: partition ${target.partition} not found`);
  const signature = signatureOf(model, home, target);
  const writers = observedWriters(model, home);

  const keepsWriters = (ids: Set<number>) => [...writers].every(([read, ws]) => !ids.has(read) || ws.some((w) => ids.has(w)));
  const fails = async (subset: Operation[]): Promise<boolean> => {
    const ids = new Set(subset.map((op) => op.id));
    if (!ids.has(signature.stuckOp) || !keepsWriters(ids)) return false;
    const run = await check(subset);
    const anomaly = run.result.anomalies[0];
    if (run.result.valid !== false || anomaly === undefined || anomaly.stuck.id !== signature.stuckOp) return false;
    const partition = run.partitions.find((p) => p.name === anomaly.partition);
    return partition !== undefined && sameSignature(signature, signatureOf(model, partition, anomaly));
  };

  const groups = original.partitions.map((p) => p.ops);
  const keptGroups = await ddmin(groups, (gs) => fails(gs.flat()), outOfTime);
  const inGroups = keptGroups.flat();
  const processes = [...new Set(inGroups.map((op) => op.process))];
  const keptProcesses = new Set(await ddmin(processes, (ps) => fails(inGroups.filter((op) => new Set(ps).has(op.process))), outOfTime));
  const fewer = await ddmin(
    inGroups.filter((op) => keptProcesses.has(op.process)),
    fails,
    outOfTime,
  );
  const sorted = [...fewer].sort((a, b) => a.invoke - b.invoke);
  return { ops: sorted, history: toHistory(sorted), checks, exhausted: outOfTime(), signature };
}
