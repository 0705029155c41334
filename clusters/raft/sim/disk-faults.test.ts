import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Entry, HardState } from "../core/types.js";
import { seededRng } from "../../../src/rng.js";
import { Wal, WalCorruptError } from "../node/wal.js";
import { SimFiles } from "./sim-files.js";

/**
 * The real write-ahead log over a simulated disk that tears writes, loses what
 * was not synced, and corrupts sectors. Seeded and shrinking (fast-check): a
 * failure prints the seed and the smallest schedule found.
 */

const DIR = "/sim/wal";
const OPTS = { segmentBytes: 2048, preallocate: false };

interface Batch {
  term: number;
  /** Entries in the batch, each with this many characters of data. */
  sizes: number[];
}

const batchArb = fc.record({
  term: fc.integer({ min: 0, max: 1 }),
  sizes: fc.array(fc.integer({ min: 1, max: 1500 }), { minLength: 1, maxLength: 5 }),
});
const scheduleArb = fc.record({
  batches: fc.array(batchArb, { minLength: 1, maxLength: 12 }),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  keepUnsynced: fc.double({ min: 0, max: 1, noNaN: true }),
  crashMidBatch: fc.boolean(),
  corrupt: fc.boolean(),
});

/** Writes the batches (terms rising), acknowledging each once its append returned; optionally a last one dies before its sync. */
async function run(files: SimFiles, batches: Batch[], crashMidBatch: boolean): Promise<{ acked: Entry[]; ackedHs: HardState | null }> {
  const { wal } = Wal.open(DIR, { ...OPTS, io: files });
  const acked: Entry[] = [];
  let ackedHs: HardState | null = null;
  let index = 0;
  let term = 1;
  for (const [k, b] of batches.entries()) {
    term += b.term;
    const entries = b.sizes.map((n): Entry => ({ index: ++index, term, type: "normal", data: `${index}:${"x".repeat(n)}` }));
    const hs: HardState = { term, vote: "a", commit: Math.max(0, index - 2) };
    const last = k === batches.length - 1;
    if (last && crashMidBatch) {
      // The process dies inside this batch's fdatasync: its bytes are in the cache only.
      const sync = files.datasync.bind(files);
      files.datasync = () => {
        throw new Error("power lost");
      };
      await expect(wal.append(hs, entries)).rejects.toThrow("power lost");
      files.datasync = sync;
      break;
    }
    await wal.append(hs, entries);
    acked.push(...entries);
    ackedHs = hs;
  }
  return { acked, ackedHs };
}

describe("simulated disk faults under the real write-ahead log", () => {
  it("never loses a synced batch after torn and lost unsynced writes; damage is refused, never dropped", async () => {
    await fc.assert(
      fc.asyncProperty(scheduleArb, async (s) => {
        const files = new SimFiles(seededRng(s.seed));
        const { acked, ackedHs } = await run(files, s.batches, s.crashMidBatch);
        files.crash(s.keepUnsynced);
        let corruptedAt: string | null = null;
        if (s.corrupt) {
          const segments = files.paths();
          const victim = segments[Math.floor(seededRng(s.seed + 1)() * segments.length)]!;
          if (files.corruptSector(victim) !== null) corruptedAt = victim;
        }
        let opened: ReturnType<typeof Wal.open>;
        try {
          opened = Wal.open(DIR, { ...OPTS, io: files });
        } catch (err) {
          // Refusing is right only for real damage, and the message names the file.
          expect(err).toBeInstanceOf(WalCorruptError);
          expect(corruptedAt, `refused without damage: ${(err as Error).message}`).not.toBeNull();
          expect((err as Error).message).toContain(DIR);
          return;
        }
        const got = new Map(opened.restored.entries.map((e) => [e.index, e]));
        // A corruption may hit bytes past every acknowledged record (the unsynced tail); then nothing acked is lost either.
        for (const e of acked) expect(got.get(e.index), `acknowledged entry ${e.index} lost`).toEqual(e);
        if (ackedHs) expect(opened.restored.hardState.term).toBeGreaterThanOrEqual(ackedHs.term);
        // The node goes on writing after recovery.
        const next = opened.restored.entries.length + 1;
        await opened.wal.append({ term: opened.restored.hardState.term, vote: null, commit: 0 }, [
          { index: next, term: opened.restored.hardState.term, type: "normal", data: "after" },
        ]);
        expect(Wal.open(DIR, { ...OPTS, io: files }).restored.entries.at(-1)?.data).toBe("after");
      }),
      { seed: 20261130, numRuns: 300 },
    );
  });
});

describe("a segment rolled by a commit-only batch, then compacted", () => {
  it("keeps term and vote through a crash (found by the simulator: the node restarted at term 0 and the core refused it)", async () => {
    const files = new SimFiles(seededRng(1));
    const { wal } = Wal.open(DIR, { ...OPTS, io: files });
    const hs: HardState = { term: 14, vote: "b", commit: 0 };
    let index = 0;
    const put = (h: HardState | null) => wal.append(h, [{ index: ++index, term: 14, type: "normal", data: "x".repeat(500) }]);
    for (let i = 0; i < 100 && wal.segmentFiles().length === 1; i++) await put({ ...hs, commit: index });
    // An entries-only batch (hard state unchanged) runs the segment past its bound...
    for (let i = 0; i < 100 && wal.endOffset < OPTS.segmentBytes; i++) await put(null);
    // ...so the next batch, commit only, rolls: the new segment's head is the only record of term and vote.
    await wal.append({ ...hs, commit: index }, []);
    expect(wal.segmentFiles()).toHaveLength(3);
    // A snapshot holds every entry: the segments before the active one go.
    expect(wal.compact(index)).toBe(2);
    files.crash(0);
    const { restored } = Wal.open(DIR, { ...OPTS, io: files });
    expect(restored.hardState).toMatchObject({ term: 14, vote: "b" });
  });
});
