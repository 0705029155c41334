import { closeSync, constants, fdatasync, fdatasyncSync, ftruncateSync, fsyncSync, fstatSync, mkdirSync, openSync, readFileSync, write, writeSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Entry, HardState, RestoredState } from "../core/types.js";
import { decodePayload, encodeEntries, encodeHardState, HEADER_BYTES, parseAt } from "./wal-format.js";

const fdatasyncAsync = promisify(fdatasync);
const writeAsync = promisify(write);

/**
 * The file is grown ahead of the log by writing zeros (synced), so a batch
 * overwrites blocks that already exist: its fdatasync then flushes data only,
 * with no journal commit for a new file size. On this machine kind that halves
 * a sync's CPU time and doubles the syncs per second of concurrent writers.
 * Recovery reads the zeros after the last record as a clean end.
 */
export const PREALLOCATE_BYTES = 4 * 1024 * 1024;
/**
 * Zeros are written and synced a step at a time: a batch's own sync also flushes
 * whatever zeros are dirty, and a small step keeps that from stalling it.
 */
const PREALLOCATE_STEP_BYTES = 256 * 1024;
const ZEROS = Buffer.alloc(PREALLOCATE_STEP_BYTES);

/** A record that fails its check with valid records after it: refusing beats dropping them. */
export class WalCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    reason: string,
  ) {
    super(`write-ahead log ${file} is corrupt at byte offset ${offset} (${reason}) and valid records follow; refusing to start`);
    this.name = "WalCorruptError";
  }
}

export interface WalOpened {
  wal: Wal;
  restored: RestoredState;
  /** Bytes cut from a torn tail (0 when the file ended cleanly, or in preallocated zeros). */
  truncatedBytes: number;
}

/**
 * An append-only, checksummed log of hard states and entries. `append` makes a
 * batch durable with one fdatasync (group commit); the caller sends messages
 * and answers clients only after it resolves.
 */
export class Wal {
  private writing = false;
  /** Syncs done, for tests and logs: commit-only batches skip theirs. */
  syncCount = 0;
  /** Zeros being written (and synced) past `allocated`, in the background. */
  private growing: Promise<void> | null = null;
  private growFailed: Error | null = null;

  private constructor(
    readonly file: string,
    private readonly fd: number,
    private lastIndex: number,
    /** Term and vote as last made durable. */
    private synced: HardState,
    /** Where the next record goes: the end of the valid records. */
    private end: number,
    /** The file's size: zeros (preallocated) from `end` to here. */
    private allocated: number,
  ) {}

  static open(dir: string): WalOpened {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "wal.log");
    // Not O_APPEND: records overwrite the preallocated zeros at their offset.
    const fd = openSync(file, constants.O_RDWR | constants.O_CREAT);
    const buf = readFileSync(file);
    const { restored, validBytes } = recover(file, buf);
    const zeroTail = allZero(buf, validBytes);
    if (!zeroTail) {
      ftruncateSync(fd, validBytes);
      fsyncSync(fd);
    }
    const size = zeroTail ? fstatSync(fd).size : validBytes;
    const wal = new Wal(file, fd, restored.entries.length, restored.hardState, validBytes, size);
    return { wal, restored, truncatedBytes: zeroTail ? 0 : buf.length - validBytes };
  }

  /** The byte offset where the valid records end (the file goes on with preallocated zeros). */
  get endOffset(): number {
    return this.end;
  }

  /**
   * Writes entries then the hard state, and syncs once. One batch at a time.
   * A batch that only moves the commit index is written but not synced (as
   * etcd's MustSync): a commit index lost in a crash is learned again from the
   * leader, while entries, term and vote must never be lost.
   */
  async append(hardState: HardState | null, entries: Entry[]): Promise<void> {
    if (this.writing) throw new Error("wal: append while an append is in flight");
    const parts: Buffer[] = [];
    if (entries.length > 0) {
      const first = entries[0]!.index;
      if (first > this.lastIndex + 1) throw new Error(`wal: entry ${first} leaves a gap after ${this.lastIndex}`);
      parts.push(encodeEntries(entries));
      this.lastIndex = entries[entries.length - 1]!.index;
    }
    // After the entries, so a torn batch never leaves a commit index above the stored log.
    if (hardState) parts.push(encodeHardState(hardState));
    if (parts.length === 0) return;
    this.writing = true;
    try {
      if (this.growFailed) throw this.growFailed;
      const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      // Past the preallocated zeros the write grows the file itself, and this batch's own
      // sync makes the new size durable; never while zeros are still being written there.
      if (this.end + buf.length > this.allocated && this.growing) await this.growing;
      let done = 0;
      // Regular files take the whole write; the bound guards against a short-write loop.
      for (let attempt = 0; done < buf.length; attempt++) {
        if (attempt >= 16) throw new Error("wal: short writes did not finish");
        done += writeSync(this.fd, buf, done, buf.length - done, this.end + done);
      }
      this.end += buf.length;
      this.allocated = Math.max(this.allocated, this.end);
      if (!this.growing && this.allocated - this.end < PREALLOCATE_BYTES / 2) this.growing = this.grow();
      const mustSync = entries.length > 0 || (hardState !== null && (hardState.term !== this.synced.term || hardState.vote !== this.synced.vote));
      if (mustSync) {
        // Inline, not on the thread pool: the hand-off (a futex wake, then an eventfd and
        // another loop turn for the answer) cost ~8% of the cluster's CPU for no throughput
        // (a leader's appends are already out; requests wait in the socket meanwhile).
        fdatasyncSync(this.fd);
        this.syncCount++;
        if (hardState) this.synced = hardState;
      }
    } finally {
      this.writing = false;
    }
  }

  /** Waits for a zero fill still running, so it never writes into a reused descriptor. */
  async close(): Promise<void> {
    await this.growing;
    closeSync(this.fd);
  }

  /** Writes and syncs zeros past the file's end; a failure fails the next append. */
  private async grow(): Promise<void> {
    try {
      for (let step = 0; step < PREALLOCATE_BYTES / PREALLOCATE_STEP_BYTES; step++) {
        const from = this.allocated;
        let done = 0;
        for (let attempt = 0; done < ZEROS.length; attempt++) {
          if (attempt >= 16) throw new Error("wal: short writes did not finish");
          done += (await writeAsync(this.fd, ZEROS, done, ZEROS.length - done, from + done)).bytesWritten;
        }
        await fdatasyncAsync(this.fd);
        // Records may use each step as soon as it is durable.
        this.allocated = from + ZEROS.length;
      }
    } catch (err) {
      this.growFailed = err as Error;
    } finally {
      this.growing = null;
    }
  }
}

function allZero(buf: Buffer, from: number): boolean {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

/** Replays records; returns the state and how many leading bytes are valid. */
export function recover(file: string, buf: Buffer): { restored: RestoredState; validBytes: number } {
  let hardState: HardState = { term: 0, vote: null, commit: 0 };
  const entries: Entry[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const rec = parseAt(buf, offset);
    if (!rec.ok) {
      // Zeros after the last record are preallocated space: a clean end.
      if (allZero(buf, offset)) break;
      // A torn tail is what a crash mid-write leaves: nothing after it was synced.
      if (validRecordAfter(buf, offset + 1)) throw new WalCorruptError(file, offset, rec.reason);
      break;
    }
    let decoded;
    try {
      decoded = decodePayload(rec.payload);
    } catch (err) {
      throw new WalCorruptError(file, offset, `checksum ok but payload unreadable: ${(err as Error).message}`);
    }
    if (decoded.kind === "hardState") {
      hardState = decoded.hardState;
    } else {
      if (decoded.firstIndex > entries.length + 1) {
        throw new WalCorruptError(file, offset, `entries from ${decoded.firstIndex} leave a gap after ${entries.length}`);
      }
      entries.length = decoded.firstIndex - 1;
      for (const e of decoded.entries) entries.push(e);
    }
    offset = rec.next;
  }
  return { restored: { hardState, entries }, validBytes: offset };
}

/** Whether any position from `start` on holds a record with a matching checksum. */
function validRecordAfter(buf: Buffer, start: number): boolean {
  for (let p = start; p + HEADER_BYTES < buf.length; p++) {
    if (parseAt(buf, p).ok) return true;
  }
  return false;
}
