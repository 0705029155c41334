import { join } from "node:path";
import type { ClusterConfig, Snapshot } from "../core/types.js";
import { crc32 } from "./crc32.js";
import { type FileIo, nodeFileIo } from "./file-io.js";

/**
 * State machine snapshots on disk, `DATA/snap/<index>-<term>.snap` (16 hex
 * digits each). A file is `u32le length | u32le crc32 | JSON {index, term, config, data}`,
 * written to a temporary name, synced, renamed into place, and the directory
 * synced: a crash leaves the old snapshot or the new one, never half of one.
 * Only the newest is kept once the new one is durable.
 */

const HEADER_BYTES = 8;
const NAME = /^([0-9a-f]{16})-([0-9a-f]{16})\.snap$/;
const TEMP_SUFFIX = ".tmp";

export class SnapshotCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    reason: string,
  ) {
    super(`snapshot ${file} is corrupt at byte offset ${offset} (${reason}); refusing to start`);
    this.name = "SnapshotCorruptError";
  }
}

export class SnapshotStore {
  constructor(
    readonly dir: string,
    private readonly io: FileIo = nodeFileIo,
  ) {
    io.mkdirp(dir);
  }

  /** The newest snapshot, or null when there is none; throws SnapshotCorruptError on a damaged one. */
  load(): Snapshot | null {
    // Temporaries a crash left behind. Only here, at start: during a run a background
    // snapshot and one installed from the leader may both be under way, each in its own.
    for (const name of this.io.list(this.dir)) if (name.endsWith(TEMP_SUFFIX)) this.io.unlink(join(this.dir, name));
    const names = this.names();
    const newest = names[names.length - 1];
    if (newest === undefined) return null;
    const file = join(this.dir, newest);
    return decode(file, this.io.readFile(file));
  }

  /** Makes `snap` durable, then removes all but the newest snapshot. */
  async save(snap: Snapshot): Promise<string> {
    const file = join(this.dir, nameOf(snap));
    const temp = file + TEMP_SUFFIX;
    const buf = encode(snap);
    const fd = this.io.open(temp);
    try {
      this.io.truncate(fd, 0);
      await this.io.writeAtAsync(fd, buf, 0);
      await this.io.datasyncAsync(fd);
    } finally {
      this.io.close(fd);
    }
    this.io.rename(temp, file);
    this.io.syncDir(this.dir);
    // Only the newest stays, which may be another save's that finished first (one installed from the leader).
    const names = this.names();
    for (const old of names.slice(0, -1)) this.io.unlink(join(this.dir, old));
    return file;
  }

  /** Snapshot file names, oldest first (names sort by index). */
  private names(): string[] {
    return this.io
      .list(this.dir)
      .filter((name) => NAME.test(name))
      .sort();
  }
}

function nameOf(snap: Snapshot): string {
  return `${snap.index.toString(16).padStart(16, "0")}-${snap.term.toString(16).padStart(16, "0")}.snap`;
}

function encode(snap: Snapshot): Buffer {
  const payload = Buffer.from(JSON.stringify({ index: snap.index, term: snap.term, config: snap.config, data: snap.data }));
  const buf = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  buf.writeUInt32LE(payload.length, 0);
  buf.writeUInt32LE(crc32(payload), 4);
  payload.copy(buf, HEADER_BYTES);
  return buf;
}

function decode(file: string, buf: Buffer): Snapshot {
  if (buf.length < HEADER_BYTES) throw new SnapshotCorruptError(file, 0, `${buf.length} bytes, shorter than its header`);
  const length = buf.readUInt32LE(0);
  if (HEADER_BYTES + length !== buf.length)
    throw new SnapshotCorruptError(file, 0, `header says ${length} bytes of payload, the file holds ${buf.length - HEADER_BYTES}`);
  const payload = buf.subarray(HEADER_BYTES);
  if (crc32(payload) !== buf.readUInt32LE(4)) throw new SnapshotCorruptError(file, firstBadSectorGuess(buf), "checksum mismatch");
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(payload.toString("utf8")) as Record<string, unknown>;
  } catch (err) {
    throw new SnapshotCorruptError(file, HEADER_BYTES, `checksum ok but payload unreadable: ${(err as Error).message}`);
  }
  const { index, term, data, config } = value;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(term) || typeof data !== "string" || !isClusterConfig(config)) {
    throw new SnapshotCorruptError(file, HEADER_BYTES, "payload lacks index, term, config or data");
  }
  return { index: index as number, term: term as number, data, config };
}

function isClusterConfig(v: unknown): v is ClusterConfig {
  const c = v as ClusterConfig | null;
  return typeof c === "object" && c !== null && Array.isArray(c.voters) && typeof c.addrs === "object" && c.addrs !== null;
}

/**
 * Where the damage starts is unknown from one checksum; the payload's start is
 * the honest answer unless a zero byte (never in JSON) points at a lost sector.
 */
function firstBadSectorGuess(buf: Buffer): number {
  const zero = buf.indexOf(0, HEADER_BYTES);
  return zero >= 0 ? zero : HEADER_BYTES;
}
