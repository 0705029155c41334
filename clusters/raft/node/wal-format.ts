import { ENTRY_TYPES, type Entry, entryTypeOf, type HardState } from "../core/types.js";
import { crc32 } from "./crc32.js";

/**
 * The write-ahead log's record format. A record is
 *   u32le payload length | u32le crc32(payload) | payload
 * and a payload is one kind byte followed by JSON:
 *   'H' {term, vote, commit}              the hard state from now on
 *   'E' {i: firstIndex, e: [[term, kind, data], ...]}   entries from firstIndex on;
 *       if firstIndex is at or below the last stored index, the log is cut there first.
 *   'S' {index, term}                     a snapshot from the leader was installed: the
 *       log before it is gone, and entries continue from index + 1.
 */

export const HEADER_BYTES = 8;
export const KIND_HARD_STATE = 0x48; // 'H'
export const KIND_ENTRIES = 0x45; // 'E'
export const KIND_SNAPSHOT = 0x53; // 'S'
/** Larger lengths cannot be ours; a header claiming one is corrupt. */
export const PAYLOAD_BYTES_MAX = 256 * 1024 * 1024;

export type WalRecord =
  | { kind: "hardState"; hardState: HardState }
  | { kind: "entries"; firstIndex: number; entries: Entry[] }
  | { kind: "snapshot"; index: number; term: number };

export function encodeSnapshotMark(index: number, term: number): Buffer {
  return frame(KIND_SNAPSHOT, JSON.stringify({ index, term }));
}

export function encodeHardState(hs: HardState): Buffer {
  return frame(KIND_HARD_STATE, JSON.stringify({ term: hs.term, vote: hs.vote, commit: hs.commit }));
}

export function encodeEntries(entries: Entry[]): Buffer {
  const first = entries[0];
  if (!first) throw new Error("wal: encoding an empty entries record");
  const rows = entries.map((e, i) => {
    // The log is dense: a gap here would be a bug in the caller.
    if (e.index !== first.index + i) throw new Error(`wal: entries not dense at ${e.index}`);
    return [e.term, ENTRY_TYPES.indexOf(e.type), e.data];
  });
  return frame(KIND_ENTRIES, JSON.stringify({ i: first.index, e: rows }));
}

function frame(kind: number, json: string): Buffer {
  const jsonBytes = Buffer.byteLength(json);
  const buf = Buffer.allocUnsafe(HEADER_BYTES + 1 + jsonBytes);
  buf[HEADER_BYTES] = kind;
  buf.write(json, HEADER_BYTES + 1);
  buf.writeUInt32LE(1 + jsonBytes, 0);
  buf.writeUInt32LE(crc32(buf, HEADER_BYTES), 4);
  return buf;
}

export type ParseResult = { ok: true; payload: Buffer; next: number } | { ok: false; reason: string };

/** Sector size for the torn-write rule: a disk writes a sector whole or not at all. */
export const SECTOR_BYTES = 512;

/**
 * Whether a record that failed its check at `offset` is what a crash mid-write
 * leaves (etcd's rule): the file ends inside it (short), or a piece of it that
 * fills its sector is still zeros: a sector the write never reached. Sectors of
 * one write reach the disk in any order, so what follows may hold later sectors
 * that did; none of it was synced either, since a sync would have written the
 * zero sector too. Anything else is damage and must stop the node.
 */
export function isTornAt(buf: Buffer, offset: number): boolean {
  if (offset + HEADER_BYTES > buf.length) return true;
  const length = buf.readUInt32LE(offset);
  // A zero length is a header whose sector was never written, if the rest of that sector is zeros too.
  if (length === 0) return zeroFrom(buf, offset, Math.min(buf.length, sectorEnd(offset)));
  if (length < 2 || length > PAYLOAD_BYTES_MAX) return false;
  const end = offset + HEADER_BYTES + length;
  if (end > buf.length) return !wholeRecordInside(buf, offset);
  // Sectors are aligned to the file. A payload is a kind byte then JSON, never a zero
  // byte, so a piece of it (cut at sector boundaries) that is all zeros was never written.
  for (let from = offset + HEADER_BYTES; from < end; ) {
    const to = Math.min(end, sectorEnd(from));
    if (zeroFrom(buf, from, to)) return true;
    from = to;
  }
  return false;
}

/**
 * Whether the bytes after the header hold a whole payload with the header's
 * checksum, ending before the file does: then the record was written whole and
 * its length field was damaged, which is corruption, not a short (torn) write.
 * A payload's JSON ends in "}", so only those ends are tried, with one running CRC.
 */
function wholeRecordInside(buf: Buffer, offset: number): boolean {
  const stored = buf.readUInt32LE(offset + 4);
  let crc = 0;
  let from = offset + HEADER_BYTES;
  for (let p = buf.indexOf(CLOSE_BRACE, from); p >= 0; p = buf.indexOf(CLOSE_BRACE, p + 1)) {
    crc = crc32(buf, from, p + 1, crc);
    from = p + 1;
    if (crc === stored) return true;
  }
  return false;
}

const CLOSE_BRACE = 0x7d;

function sectorEnd(offset: number): number {
  return (Math.floor(offset / SECTOR_BYTES) + 1) * SECTOR_BYTES;
}

export function zeroFrom(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== 0) return false;
  return true;
}

/** Checks framing and checksum of the record at `offset`; does not decode the payload. */
export function parseAt(buf: Buffer, offset: number): ParseResult {
  if (offset + HEADER_BYTES > buf.length) return { ok: false, reason: "partial header" };
  const length = buf.readUInt32LE(offset);
  if (length < 2 || length > PAYLOAD_BYTES_MAX) return { ok: false, reason: `impossible length ${length}` };
  const end = offset + HEADER_BYTES + length;
  if (end > buf.length) return { ok: false, reason: "partial record" };
  const kind = buf[offset + HEADER_BYTES];
  if (kind !== KIND_HARD_STATE && kind !== KIND_ENTRIES && kind !== KIND_SNAPSHOT) return { ok: false, reason: `unknown kind ${kind}` };
  if (crc32(buf, offset + HEADER_BYTES, end) !== buf.readUInt32LE(offset + 4)) return { ok: false, reason: "checksum mismatch" };
  return { ok: true, payload: buf.subarray(offset + HEADER_BYTES, end), next: end };
}

/** Decodes a payload whose checksum matched; throws if its JSON is not ours. */
export function decodePayload(payload: Buffer): WalRecord {
  const value = JSON.parse(payload.toString("utf8", 1)) as Record<string, unknown>;
  if (payload[0] === KIND_HARD_STATE) {
    const { term, vote, commit } = value;
    if (typeof term !== "number" || typeof commit !== "number" || (vote !== null && typeof vote !== "string")) {
      throw new Error("bad hard state");
    }
    return { kind: "hardState", hardState: { term, vote, commit } };
  }
  if (payload[0] === KIND_SNAPSHOT) {
    const { index, term } = value;
    if (!Number.isSafeInteger(index) || !Number.isSafeInteger(term)) throw new Error("bad snapshot mark");
    return { kind: "snapshot", index: index as number, term: term as number };
  }
  const firstIndex = value.i;
  const rows = value.e;
  if (typeof firstIndex !== "number" || firstIndex < 1 || !Array.isArray(rows)) throw new Error("bad entries record");
  const entries = rows.map((row: unknown, k): Entry => {
    const type = Array.isArray(row) ? entryTypeOf(row[1]) : undefined;
    if (!Array.isArray(row) || typeof row[0] !== "number" || type === undefined || typeof row[2] !== "string") throw new Error("bad entry");
    return { index: firstIndex + k, term: row[0], type, data: row[2] };
  });
  return { kind: "entries", firstIndex, entries };
}
