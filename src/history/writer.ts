import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import type { Op } from "./op.js";

/** One op as one JSONL line, fields in the seam's order. */
export function formatOp(op: Op): string {
  return JSON.stringify(op) + "\n";
}

/**
 * Appends ops to a JSONL history as they happen. Every append is one write(2)
 * on an O_APPEND descriptor, so a crash of the controller loses nothing it had
 * already appended (the kernel holds it); `fsync` also makes it survive a
 * crash of the machine, at the price of a disk flush per op.
 */
export class HistoryWriter {
  private fd: number | undefined;
  private readonly fsync: boolean;
  count = 0;

  constructor(
    readonly path: string,
    opts: { fsync?: boolean } = {},
  ) {
    this.fd = openSync(path, "a");
    this.fsync = opts.fsync ?? false;
  }

  append(op: Op): void {
    if (this.fd === undefined) throw new Error(`HistoryWriter(${this.path}): append after close`);
    writeSync(this.fd, formatOp(op));
    if (this.fsync) fsyncSync(this.fd);
    this.count++;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
