import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readHistory } from "../../src/history/formats.js";
import { checkHistory } from "./check.js";
import { checkStream, type StreamProgress } from "./stream.js";
import { writeSyntheticRegisterHistory } from "../../bench/synthetic-register.js";

const dir = mkdtempSync(join(tmpdir(), "tob-stream-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Small buckets, so even a small history is split into many spill files.
const BUCKET_BYTES = 64 * 1024;

describe("streaming check", () => {
  it("agrees with the in-memory check on a valid history split over many buckets, and reports progress", async () => {
    const path = join(dir, "valid.jsonl");
    writeSyntheticRegisterHistory(path, { lines: 20_000, keys: 50, processes: 8, seed: 7 });
    const progress: StreamProgress[] = [];
    const streamed = await checkStream(path, {
      model: "register",
      bucketBytes: BUCKET_BYTES,
      tmpDir: dir,
      onProgress: (p) => progress.push(p),
    });
    const whole = await checkHistory((await readHistory(path)).ops, { model: "register" });
    expect(whole.result.valid).toBe(true);
    expect(streamed.valid).toBe(true);
    expect(streamed.buckets).toBeGreaterThan(10);
    expect(streamed["buckets-checked"]).toBe(streamed.buckets);
    expect(streamed["partitions-checked"]).toBe(Object.keys(whole.result.partitions).length);
    expect(streamed["op-count"]).toBe(whole.result["op-count"]);
    expect(progress.at(-1)).toMatchObject({ phase: "check", bucket: streamed.buckets });
  });

  it("finds a corrupted read in the middle of the stream and names its line", async () => {
    const path = join(dir, "invalid.jsonl");
    writeSyntheticRegisterHistory(path, { lines: 20_000, keys: 50, processes: 8, seed: 7, corruptReadAtLine: 12_000 });
    const streamed = await checkStream(path, { model: "register", bucketBytes: BUCKET_BYTES, tmpDir: dir });
    expect(streamed.valid).toBe(false);
    expect(streamed.anomalies).toHaveLength(1);
    expect(streamed.anomalies[0].stuck.output).toBe(-1);
    expect(streamed.anomalies[0].stuck.complete).toBeGreaterThanOrEqual(12_000);
  });

  it("rejects a malformed line with its line number, leaving no spill files", async () => {
    const path = join(dir, "bad.jsonl");
    writeFileSync(path, '{"process":1,"type":"invoke","f":"read","key":"a","value":null}\n{"process":1,"type":"ok","f":"read"\n');
    const spillRoot = mkdtempSync(join(dir, "spill-"));
    await expect(checkStream(path, { model: "register", tmpDir: spillRoot })).rejects.toThrow(/bad.jsonl line 2: not valid JSON/);
    expect(readdirSync(spillRoot)).toEqual([]);
  });
});
