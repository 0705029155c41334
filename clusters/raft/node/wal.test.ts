import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Entry } from "../core/types.js";
import { crc32 } from "./crc32.js";
import { Wal, WalCorruptError } from "./wal.js";

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "tob-wal-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function entries(from: number, count: number, term = 1): Entry[] {
  return Array.from({ length: count }, (_, i) => ({ index: from + i, term, type: "normal" as const, data: `d${from + i}` }));
}

/** Writes three batches and returns the file and each batch's end offset. */
async function threeBatches(dir: string): Promise<{ file: string; ends: number[] }> {
  const { wal } = Wal.open(dir);
  const ends: number[] = [];
  await wal.append({ term: 1, vote: "a", commit: 0 }, entries(1, 3));
  ends.push(wal.endOffset);
  await wal.append({ term: 1, vote: "a", commit: 3 }, entries(4, 2));
  ends.push(wal.endOffset);
  await wal.append({ term: 2, vote: null, commit: 5 }, entries(6, 1, 2));
  ends.push(wal.endOffset);
  await wal.close();
  return { file: wal.file, ends };
}

describe("write-ahead log", () => {
  it("checksums like zlib", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it("restores hard state and entries, cutting the log where a repair overwrites it", async () => {
    const dir = tempDir();
    await threeBatches(dir);
    const first = Wal.open(dir);
    expect(first.truncatedBytes).toBe(0);
    expect(first.restored.hardState).toEqual({ term: 2, vote: null, commit: 5 });
    expect(first.restored.entries.map((e) => e.index)).toEqual([1, 2, 3, 4, 5, 6]);
    await first.wal.append(null, entries(5, 3, 3));
    await first.wal.close();
    const again = Wal.open(dir).restored.entries;
    expect(again.map((e) => [e.index, e.term])).toEqual([[1, 1], [2, 1], [3, 1], [4, 1], [5, 3], [6, 3], [7, 3]]);
  });

  it("syncs entries, term and vote, but not a batch that only moves the commit index", async () => {
    const dir = tempDir();
    const { wal } = Wal.open(dir);
    await wal.append({ term: 1, vote: "a", commit: 0 }, entries(1, 2));
    expect(wal.syncCount).toBe(1);
    await wal.append({ term: 1, vote: "a", commit: 2 }, []);
    expect(wal.syncCount).toBe(1);
    await wal.append({ term: 2, vote: null, commit: 2 }, []);
    expect(wal.syncCount).toBe(2);
    await wal.append(null, entries(3, 1, 2));
    expect(wal.syncCount).toBe(3);
    await wal.close();
    expect(Wal.open(dir).restored.hardState).toEqual({ term: 2, vote: null, commit: 2 });
  });

  it("truncates a torn last record (a crash in the middle of a batch)", async () => {
    const dir = tempDir();
    const { file, ends } = await threeBatches(dir);
    truncateSync(file, ends[2]! - 5);
    const opened = Wal.open(dir);
    // The third batch's entries record is whole; its hard state record is torn.
    expect(opened.truncatedBytes).toBeGreaterThan(0);
    expect(opened.restored.hardState).toEqual({ term: 1, vote: "a", commit: 3 });
    expect(opened.restored.entries).toHaveLength(6);
    expect(statSync(file).size).toBe(ends[2]! - 5 - opened.truncatedBytes);
    // The node keeps going after recovery: new batches land after the cut.
    await opened.wal.append({ term: 2, vote: null, commit: 6 }, entries(7, 1, 2));
    await opened.wal.close();
    const again = Wal.open(dir);
    expect(again.truncatedBytes).toBe(0);
    expect(again.restored.entries.map((e) => e.index)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(again.restored.hardState.commit).toBe(6);
  });

  it("truncates a partial header", async () => {
    const dir = tempDir();
    const { file, ends } = await threeBatches(dir);
    truncateSync(file, ends[2]!);
    appendFileSync(file, Buffer.from([7, 0, 0]));
    const opened = Wal.open(dir);
    await opened.wal.close();
    expect(opened.truncatedBytes).toBe(3);
    expect(statSync(file).size).toBe(ends[2]);
  });

  it("keeps preallocated zeros after the last record as a clean end, and writes over them", async () => {
    const dir = tempDir();
    const { file, ends } = await threeBatches(dir);
    expect(statSync(file).size).toBeGreaterThan(ends[2]!);
    expect(readFileSync(file).subarray(ends[2]!).every((b) => b === 0)).toBe(true);
    const opened = Wal.open(dir);
    expect(opened.truncatedBytes).toBe(0);
    expect(opened.wal.endOffset).toBe(ends[2]);
    await opened.wal.append(null, entries(7, 1, 2));
    await opened.wal.close();
    expect(Wal.open(dir).restored.entries.map((e) => e.index)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("truncates a last record whose checksum does not match", async () => {
    const dir = tempDir();
    const { file, ends } = await threeBatches(dir);
    const buf = readFileSync(file);
    buf[ends[2]! - 3] ^= 0xff;
    writeFileSync(file, buf);
    const opened = Wal.open(dir);
    await opened.wal.close();
    expect(opened.restored.entries).toHaveLength(6);
    expect(opened.restored.hardState.commit).toBe(3);
  });

  it("refuses to start on corruption followed by valid records, naming file and offset", async () => {
    const dir = tempDir();
    const { file, ends } = await threeBatches(dir);
    const buf = readFileSync(file);
    buf[ends[0]! + 12] ^= 0xff; // inside the second batch's first record
    writeFileSync(file, buf);
    const size = buf.length;
    let err: unknown;
    try {
      Wal.open(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WalCorruptError);
    expect((err as WalCorruptError).offset).toBe(ends[0]);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toContain(`byte offset ${ends[0]}`);
    // Nothing was cut: the file is as it was.
    expect(statSync(file).size).toBe(size);
  });
});
