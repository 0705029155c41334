/**
 * Stamps ops with their index and the run clock's time and streams them to
 * history.jsonl as they happen (HistoryWriter: one write(2) per op, so it is
 * in the kernel before the controller moves on). A controller killed mid-run
 * loses nothing it already observed; `tob report` finishes such a run.
 */
import { existsSync } from "node:fs";
import type { Op } from "../history/op.js";
import { HistoryWriter } from "../history/writer.js";
import type { RunClock } from "./clock.js";

export type OpDraft = Omit<Op, "index" | "time">;

export class Recorder {
  private readonly writer: HistoryWriter;
  private readonly ops: Op[] = [];

  constructor(
    path: string,
    private readonly clock: RunClock,
    /** Called with every op recorded (progress counters, the leader display). */
    private readonly onOp: (op: Op) => void = () => {},
  ) {
    // A history that already exists belongs to another run; never append to it.
    if (existsSync(path)) throw new Error(`${path} exists: it belongs to another run`);
    this.writer = new HistoryWriter(path);
  }

  /** Stamps the op with the next index and the clock's time, and writes it through. */
  record(draft: OpDraft): Op {
    const op: Op = { index: this.ops.length, time: this.clock.nowNs(), ...draft };
    this.writer.append(op);
    this.ops.push(op);
    this.onOp(op);
    return op;
  }

  history(): Op[] {
    return this.ops;
  }

  close(): void {
    this.writer.close();
  }
}
