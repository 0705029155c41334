/** Histories written as a script, for the Elle tests: each call appends one op, 1 ms apart. */
import type { Op, OpType } from "../../src/history/op.js";

export type Mop = [string, number | string, unknown];

export class H {
  ops: Op[] = [];
  private pending = new Map<number, Mop[]>();
  private push(process: number, type: OpType, value: unknown): this {
    this.ops.push({ index: this.ops.length, time: this.ops.length * 1e6, process, type, f: "txn", value });
    return this;
  }
  invoke(process: number, ...mops: Mop[]): this {
    this.pending.set(process, mops);
    return this.push(
      process,
      "invoke",
      mops.map(([f, k, v]) => [f, k, f === "r" ? null : v]),
    );
  }
  /** completes with the invoked micro-ops, reads filled from `reads` in order */
  ok(process: number, ...reads: unknown[]): this {
    const queue = [...reads];
    return this.push(
      process,
      "ok",
      this.pending.get(process)!.map(([f, k, v]) => [f, k, f === "r" ? queue.shift() : v]),
    );
  }
  end(process: number, type: "fail" | "info"): this {
    return this.push(process, type, null);
  }
  txn(process: number, mops: Mop[], ...reads: unknown[]): this {
    return this.invoke(process, ...mops).ok(process, ...reads);
  }
}

export const r = (k: number | string): Mop => ["r", k, null];
export const a = (k: number | string, v: number | string): Mop => ["append", k, v];
export const w = (k: number | string, v: number | string): Mop => ["w", k, v];
