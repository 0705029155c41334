/**
 * Which logical process each client thread runs, and which are idle. Jepsen's
 * rule lives here: a process whose op ended in `info` may still have that op
 * in flight, so it never invokes again; its thread takes a fresh process id
 * (the old one plus the thread count), keeping every process single-threaded
 * in the history.
 */
import type { Process } from "../history/op.js";

export class ProcessTable {
  private constructor(
    /** threadProcess[t]: the process thread t runs now. */
    private readonly threadProcess: readonly number[],
    private readonly busy: ReadonlySet<number>,
  ) {}

  static create(threads: number): ProcessTable {
    if (!(threads >= 1)) throw new Error(`ProcessTable: threads must be >= 1, got ${threads}`);
    return new ProcessTable(
      Array.from({ length: threads }, (_, t) => t),
      new Set(),
    );
  }

  get threads(): number {
    return this.threadProcess.length;
  }

  processes(): Process[] {
    return [...this.threadProcess];
  }

  free(): Process[] {
    return this.threadProcess.filter((p) => !this.busy.has(p));
  }

  outstanding(): number {
    return this.busy.size;
  }

  /** The thread a live process runs on (process ids are thread + k * threads). */
  threadOf(process: Process): number {
    if (typeof process !== "number") throw new Error(`not a client process: ${String(process)}`);
    return process % this.threadProcess.length;
  }

  invoke(process: Process): ProcessTable {
    const p = this.live(process);
    if (this.busy.has(p)) throw new Error(`process ${p} invoked while busy`);
    return new ProcessTable(this.threadProcess, new Set([...this.busy, p]));
  }

  /** The op of `process` completed with `type`; after `info`, its thread gets a fresh process. */
  complete(process: Process, type: "ok" | "fail" | "info"): ProcessTable {
    const p = this.live(process);
    if (!this.busy.has(p)) throw new Error(`process ${p} completed while idle`);
    const busy = new Set(this.busy);
    busy.delete(p);
    if (type !== "info") return new ProcessTable(this.threadProcess, busy);
    const threadProcess = [...this.threadProcess];
    threadProcess[this.threadOf(p)] = p + this.threadProcess.length;
    return new ProcessTable(threadProcess, busy);
  }

  private live(process: Process): number {
    const t = this.threadOf(process);
    if (this.threadProcess[t] !== process) throw new Error(`process ${String(process)} is retired`);
    return process as number;
  }
}
