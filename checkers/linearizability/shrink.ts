import type { History, Op } from "../../src/history/op.js";
import type { Operation } from "../../src/history/pair.js";
import { checkOperations } from "./check.js";
import type { Model } from "./model.js";

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

/** Shrinks the ops of one invalid partition to a small sub-history that is still invalid. */
export async function shrink(ops: Operation[], opts: ShrinkOptions): Promise<ShrinkResult> {
  const until = Date.now() + (opts.budgetMs ?? 60_000);
  const outOfTime = () => Date.now() >= until;
  let checks = 0;
  const invalid = async (subset: Operation[]) => {
    checks++;
    const run = await checkOperations(subset, { model: opts.model, initial: opts.initial, timeoutMs: opts.checkTimeoutMs ?? 2_000, workers: 0 });
    return run.result.valid === false;
  };
  if (!(await invalid(ops))) throw new Error("shrink: the history given is not shown invalid");
  const processes = [...new Set(ops.map((op) => op.process))];
  const keptProcesses = new Set(await ddmin(processes, (ps) => invalid(ops.filter((op) => new Set(ps).has(op.process))), outOfTime));
  const fewer = await ddmin(ops.filter((op) => keptProcesses.has(op.process)), invalid, outOfTime);
  return { ops: fewer, history: toHistory(fewer), checks, exhausted: outOfTime() };
}
