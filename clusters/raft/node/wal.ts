import { join } from "node:path";
import type { Entry, HardState } from "../core/types.js";
import { type FileIo, nodeFileIo } from "./file-io.js";
import { decodePayload, encodeEntries, encodeHardState, encodeSnapshotMark, isTornAt, parseAt, zeroFrom } from "./wal-format.js";

/**
 * The write-ahead log: checksummed records of hard states and entries in a
 * directory of bounded segment files, `<seq>-<firstIndex>.wal` (both 16 hex
 * digits, as etcd names them). A segment is closed once it passes
 * `segmentBytes`; the next one opens with the current hard state, so a segment
 * whose entries are all in a snapshot can be deleted (`compact`) without losing
 * term or vote. Recovery reads one segment at a time.
 *
 * The active segment is grown ahead of the log by writing zeros (synced), so a
 * batch overwrites blocks that already exist: its fdatasync then flushes data
 * only, with no journal commit for a new file size. On this machine kind that
 * halves a sync's CPU time. Recovery reads zeros after the last record as a
 * clean end.
 */
export const PREALLOCATE_BYTES = 4 * 1024 * 1024;
/** Zeros are written and synced a step at a time, so a batch's own sync never flushes many. */
const PREALLOCATE_STEP_BYTES = 256 * 1024;
const ZEROS = Buffer.alloc(PREALLOCATE_STEP_BYTES);
/** 8 MiB: about 60k small entries, so compaction (every 10k entries) frees whole segments soon. */
export const SEGMENT_BYTES_DEFAULT = 8 * 1024 * 1024;
/**
 * Entries per record are cut at about this many bytes of data, so a record (and a
 * segment's overshoot past `segmentBytes`) stays bounded whatever the batch.
 */
const RECORD_DATA_BYTES_MAX = 8 * 1024 * 1024;
/** Bytes a record costs beyond its entries' data (framing, index, term, JSON). */
const ENTRY_OVERHEAD_BYTES = 24;
const SEGMENT_NAME = /^([0-9a-f]{16})-([0-9a-f]{16})\.wal$/;

/** Damage the node must not start on: dropping it could lose acknowledged writes. */
export class WalCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    reason: string,
  ) {
    super(`write-ahead log ${file} is corrupt at byte offset ${offset} (${reason}); refusing to start`);
    this.name = "WalCorruptError";
  }
}

export interface WalOptions {
  io?: FileIo;
  segmentBytes?: number;
  /** Grow the active segment with synced zeros ahead of the log (the node does; the simulator does not). */
  preallocate?: boolean;
}

export interface WalRecovered {
  hardState: HardState;
  /** Dense entries; the first may be above 1 once older segments were compacted away. */
  entries: Entry[];
  /** The index of the last snapshot installed from a leader (a log reset), 0 when none. */
  resetIndex: number;
}

export interface WalOpened {
  wal: Wal;
  restored: WalRecovered;
  /** Bytes cut from a torn tail (0 when the log ended cleanly or in preallocated zeros). */
  truncatedBytes: number;
  /** Set when the recovered hard state was older than the recovered log (see `reconcile`). */
  reconciled: string | null;
}

interface Segment {
  seq: number;
  firstIndex: number;
  file: string;
}

/**
 * `append` makes a batch durable with one fdatasync (group commit); the caller
 * sends messages and answers clients only after it resolves.
 */
export class Wal {
  private writing = false;
  /** Syncs done, for tests and logs: commit-only batches skip theirs. */
  syncCount = 0;
  /** Zeros being written (and synced) past `allocated`, in the background. */
  private growing: Promise<void> | null = null;
  private growFailed: Error | null = null;
  private readonly io: FileIo;
  private readonly segmentBytes: number;
  private readonly preallocate: boolean;

  private constructor(
    readonly dir: string,
    opts: WalOptions,
    private readonly segments: Segment[],
    private fd: number,
    private lastIndex: number,
    /** Term and vote as last made durable. */
    private synced: HardState,
    /** The last hard state written (synced or not): a new segment opens with it. */
    private written: HardState,
    /** Where the next record goes in the active segment: the end of its valid records. */
    private end: number,
    /** The active segment's size: zeros (preallocated) from `end` to here. */
    private allocated: number,
  ) {
    this.io = opts.io ?? nodeFileIo;
    this.segmentBytes = opts.segmentBytes ?? SEGMENT_BYTES_DEFAULT;
    this.preallocate = opts.preallocate ?? true;
  }

  static open(dir: string, opts: WalOptions = {}): WalOpened {
    const io = opts.io ?? nodeFileIo;
    io.mkdirp(dir);
    const segments = listSegments(io, dir);
    if (segments.length === 0) {
      const first: Segment = { seq: 0, firstIndex: 1, file: join(dir, segmentName(0, 1)) };
      const fd = io.open(first.file);
      // The new file's name must survive a crash along with what is synced into it.
      io.syncDir(dir);
      const empty: HardState = { term: 0, vote: null, commit: 0 };
      const wal = new Wal(dir, opts, [first], fd, 0, empty, empty, 0, 0);
      return { wal, restored: { hardState: empty, entries: [], resetIndex: 0 }, truncatedBytes: 0, reconciled: null };
    }
    const r = recover(io, segments);
    const reconciled = reconcile(r.state);
    const active = segments[segments.length - 1] as Segment;
    const fd = io.open(active.file);
    const size = io.size(fd);
    if (r.truncatedBytes > 0) {
      io.truncate(fd, r.activeEnd);
      io.datasync(fd);
    }
    const allocated = r.truncatedBytes > 0 ? r.activeEnd : size;
    const { hardState, entries } = r.state;
    // With no entries left (all compacted, or a snapshot just installed), the log resumes
    // after the snapshot mark or where the active segment says its entries start.
    const last = entries.length > 0 ? (entries[entries.length - 1] as Entry).index : Math.max(r.state.resetIndex, active.firstIndex - 1);
    const wal = new Wal(dir, opts, segments, fd, last, hardState, hardState, r.activeEnd, allocated);
    return { wal, restored: r.state, truncatedBytes: r.truncatedBytes, reconciled };
  }

  /** The active segment's file. */
  get file(): string {
    return (this.segments[this.segments.length - 1] as Segment).file;
  }

  /** The byte offset in the active segment where the valid records end. */
  get endOffset(): number {
    return this.end;
  }

  segmentFiles(): string[] {
    return this.segments.map((s) => s.file);
  }

  /**
   * Writes entries then the hard state, and syncs once. One batch at a time.
   * A batch that only moves the commit index is written but not synced (as
   * etcd's MustSync): a commit index lost in a crash is learned again from the
   * leader, while entries, term and vote must never be lost.
   */
  async append(hardState: HardState | null, entries: Entry[]): Promise<void> {
    if (this.writing) throw new Error("wal: append while an append is in flight");
    const records: Buffer[] = [];
    if (entries.length > 0) {
      const first = (entries[0] as Entry).index;
      if (first > this.lastIndex + 1) throw new Error(`wal: entry ${first} leaves a gap after ${this.lastIndex}`);
      for (const chunk of chunksByBytes(entries)) records.push(encodeEntries(chunk));
      this.lastIndex = (entries[entries.length - 1] as Entry).index;
    }
    // After the entries, so a torn batch never leaves a commit index above the stored log.
    if (hardState) records.push(encodeHardState(hardState));
    if (records.length === 0) return;
    this.writing = true;
    try {
      if (this.growFailed) throw this.growFailed;
      for (const buf of records) {
        if (this.end >= this.segmentBytes) await this.roll(firstIndexOf(buf, this.lastIndex));
        await this.writeRecord(buf);
      }
      if (hardState) this.written = hardState;
      const mustSync =
        entries.length > 0 || (hardState !== null && (hardState.term !== this.synced.term || hardState.vote !== this.synced.vote));
      if (mustSync) {
        // Inline, not on the thread pool: the hand-off (a futex wake, then an eventfd and
        // another loop turn for the answer) cost ~8% of the cluster's CPU for no throughput
        // (a leader's appends are already out; requests wait in the socket meanwhile).
        this.io.datasync(this.fd);
        this.syncCount++;
        if (hardState) this.synced = hardState;
      }
    } finally {
      this.writing = false;
    }
  }

  /**
   * Records that a snapshot at `index` (of `term`) from the leader replaced the
   * log, and syncs: the entries before it, some maybe divergent, never come back.
   * The snapshot itself must be durable first.
   */
  async resetTo(index: number, term: number): Promise<void> {
    if (this.writing) throw new Error("wal: reset while an append is in flight");
    this.writing = true;
    try {
      if (this.end >= this.segmentBytes) await this.roll(index + 1);
      await this.writeRecord(encodeSnapshotMark(index, term));
      this.io.datasync(this.fd);
      this.syncCount++;
      this.lastIndex = index;
    } finally {
      this.writing = false;
    }
  }

  /**
   * Deletes the segments whose entries are all at or below `index` (held by a
   * snapshot now). The active segment always stays.
   */
  compact(index: number): number {
    if (this.writing) throw new Error("wal: compact while an append is in flight");
    let removed = 0;
    while (this.segments.length > 1 && (this.segments[1] as Segment).firstIndex - 1 <= index) {
      const old = this.segments.shift() as Segment;
      this.io.unlink(old.file);
      removed++;
    }
    if (removed > 0) this.io.syncDir(this.dir);
    return removed;
  }

  /** Waits for a zero fill still running, so it never writes into a reused descriptor. */
  async close(): Promise<void> {
    await this.growing;
    this.io.close(this.fd);
  }

  private async writeRecord(buf: Buffer): Promise<void> {
    // Past the preallocated zeros the write grows the file itself, and this batch's own
    // sync makes the new size durable; never while zeros are still being written there.
    if (this.end + buf.length > this.allocated && this.growing) await this.growing;
    this.io.writeAt(this.fd, buf, this.end);
    this.end += buf.length;
    this.allocated = Math.max(this.allocated, this.end);
    const room = this.allocated - this.end;
    if (this.preallocate && !this.growing && room < PREALLOCATE_BYTES / 2 && this.allocated < this.segmentBytes) this.growing = this.grow();
  }

  /** Closes the active segment at its last record and opens the next, headed by the hard state. */
  private async roll(firstIndex: number): Promise<void> {
    await this.growing;
    if (this.growFailed) throw this.growFailed;
    this.io.truncate(this.fd, this.end);
    this.io.datasync(this.fd);
    this.io.close(this.fd);
    const prev = this.segments[this.segments.length - 1] as Segment;
    const next: Segment = { seq: prev.seq + 1, firstIndex, file: join(this.dir, segmentName(prev.seq + 1, firstIndex)) };
    this.fd = this.io.open(next.file);
    this.io.syncDir(this.dir);
    this.segments.push(next);
    this.end = 0;
    this.allocated = 0;
    await this.writeRecord(encodeHardState(this.written));
    // Synced now, whatever the batch: once older segments are compacted away this head is
    // the only record of term and vote, and a commit-only batch (rolled here) syncs nothing.
    this.io.datasync(this.fd);
  }

  /** Writes and syncs zeros past the segment's end; a failure fails the next append. */
  private async grow(): Promise<void> {
    const fd = this.fd;
    try {
      // Never past the segment's bound: the segment closes there anyway.
      for (let step = 0; step < PREALLOCATE_BYTES / PREALLOCATE_STEP_BYTES && this.allocated < this.segmentBytes; step++) {
        const from = this.allocated;
        await this.io.writeAtAsync(fd, ZEROS, from);
        await this.io.datasyncAsync(fd);
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

function segmentName(seq: number, firstIndex: number): string {
  return `${seq.toString(16).padStart(16, "0")}-${firstIndex.toString(16).padStart(16, "0")}.wal`;
}

/** The segments in `dir`, in order; a gap in their sequence is damage. */
function listSegments(io: FileIo, dir: string): Segment[] {
  const segments: Segment[] = [];
  for (const name of io.list(dir)) {
    const m = SEGMENT_NAME.exec(name);
    if (!m) continue;
    segments.push({ seq: Number.parseInt(m[1] as string, 16), firstIndex: Number.parseInt(m[2] as string, 16), file: join(dir, name) });
  }
  segments.sort((a, b) => a.seq - b.seq);
  for (let i = 1; i < segments.length; i++) {
    const s = segments[i] as Segment;
    if (s.seq !== (segments[i - 1] as Segment).seq + 1)
      throw new WalCorruptError(s.file, 0, `segment ${(segments[i - 1] as Segment).seq + 1} is missing before it`);
  }
  return segments;
}

/** The index of the first entry a record holds, or `after + 1` for a hard-state record. */
function firstIndexOf(record: Buffer, after: number): number {
  const parsed = parseAt(record, 0);
  if (!parsed.ok) return after + 1;
  const decoded = decodePayload(parsed.payload);
  return decoded.kind === "entries" ? decoded.firstIndex : after + 1;
}

/** Splits a batch so each record holds about RECORD_DATA_BYTES_MAX of data at most (and at least one entry). */
function chunksByBytes(entries: Entry[]): Entry[][] {
  const chunks: Entry[][] = [];
  let chunk: Entry[] = [];
  let bytes = 0;
  for (const e of entries) {
    const size = e.data.length + ENTRY_OVERHEAD_BYTES;
    if (chunk.length > 0 && bytes + size > RECORD_DATA_BYTES_MAX) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(e);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

interface Recovery {
  state: WalRecovered;
  /** Where the valid records of the active (last) segment end. */
  activeEnd: number;
  truncatedBytes: number;
}

/** Replays every segment in order, one file in memory at a time. */
function recover(io: FileIo, segments: Segment[]): Recovery {
  let hardState: HardState = { term: 0, vote: null, commit: 0 };
  let entries: Entry[] = [];
  let resetIndex = 0;
  let activeEnd = 0;
  let truncatedBytes = 0;
  for (const [k, seg] of segments.entries()) {
    const isLast = k === segments.length - 1;
    const buf = io.readFile(seg.file);
    let offset = 0;
    while (offset < buf.length) {
      const rec = parseAt(buf, offset);
      if (!rec.ok) {
        // Zeros after the last record are preallocated space: a clean end.
        if (zeroFrom(buf, offset, buf.length)) break;
        // Only the last segment's tail can be torn: a crash mid-write, nothing after it synced.
        if (isLast && isTornAt(buf, offset)) {
          truncatedBytes = buf.length - offset;
          break;
        }
        throw new WalCorruptError(seg.file, offset, rec.reason);
      }
      let decoded;
      try {
        decoded = decodePayload(rec.payload);
      } catch (err) {
        throw new WalCorruptError(seg.file, offset, `checksum ok but payload unreadable: ${(err as Error).message}`);
      }
      if (decoded.kind === "hardState") {
        hardState = decoded.hardState;
      } else if (decoded.kind === "snapshot") {
        entries = [];
        resetIndex = decoded.index;
      } else {
        const first = entries.length > 0 ? (entries[0] as Entry).index : Math.max(decoded.firstIndex, resetIndex + 1);
        if (entries.length === 0 && resetIndex > 0 && decoded.firstIndex > resetIndex + 1) {
          throw new WalCorruptError(seg.file, offset, `entries from ${decoded.firstIndex} leave a gap after the snapshot at ${resetIndex}`);
        }
        const next = first + entries.length;
        if (decoded.firstIndex > next) {
          throw new WalCorruptError(seg.file, offset, `entries from ${decoded.firstIndex} leave a gap after ${next - 1}`);
        }
        if (decoded.firstIndex < first && resetIndex === 0) {
          // A follower's repair reaching below what compaction kept: start over from it.
          entries = [];
        } else {
          entries.length = Math.max(0, decoded.firstIndex - first);
        }
        // Entries at or below a snapshot installed since are in that snapshot.
        for (const e of decoded.entries) if (e.index > resetIndex) entries.push(e);
      }
      offset = rec.next;
    }
    if (isLast) activeEnd = offset;
  }
  return { state: { hardState, entries, resetIndex }, activeEnd, truncatedBytes };
}

/**
 * A batch is written as entries, then hard state. If a crash keeps the entries
 * but tears the hard state after them, the log may hold entries of a term newer
 * than the stored term. Entries of term T reach this disk only from T's leader,
 * after this node learned of T; no vote of T was lost with the torn record (a
 * vote is synced before it is sent, in an earlier batch), so moving to T with no
 * vote is what the node knew. Without this, the core refuses the state forever.
 */
function reconcile(state: WalRecovered): string | null {
  const last = state.entries[state.entries.length - 1];
  if (!last || last.term <= state.hardState.term) return null;
  const was = state.hardState.term;
  state.hardState = { term: last.term, vote: null, commit: state.hardState.commit };
  return `the log's last term ${last.term} is above the stored term ${was} (a torn hard-state record): moved to term ${last.term} with no vote`;
}
