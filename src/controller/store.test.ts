import { existsSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRunDir, pointLatest } from "./store.js";
import { tempDir } from "../../test/support/temp.js";

describe("results store", () => {
  it("never reuses a run folder, even within one millisecond", () => {
    const out = tempDir("store");
    const at = new Date("2026-01-02T03:04:05.678Z");
    const first = createRunDir(out, "register", at);
    writeFileSync(join(first, "history.jsonl"), "{}\n");
    const second = createRunDir(out, "register", at);
    expect(first).toBe(join(out, "register", "2026-01-02T03-04-05.678Z"));
    expect(second).toBe(`${first}-1`);
    expect(existsSync(join(first, "history.jsonl"))).toBe(true);
    expect(existsSync(join(second, "nodes"))).toBe(true);
  });

  it("latest points at the newest run, relative to the results folder", () => {
    const out = tempDir("store");
    const a = createRunDir(out, "kv", new Date(1));
    pointLatest(out, a);
    const b = createRunDir(out, "kv", new Date(2));
    pointLatest(out, b);
    expect(readlinkSync(join(out, "latest"))).toBe(join("kv", "1970-01-01T00-00-00.002Z"));
  });
});
