import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SnapshotStore } from "./snapshots.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("snapshot store", () => {
  it("takes a background snapshot and one installed from the leader at once (found by the simulator)", async () => {
    // A save used to remove every temporary in the directory, the other save's included, whose rename then failed.
    const dir = mkdtempSync(join(tmpdir(), "tob-snap-"));
    dirs.push(dir);
    const store = new SnapshotStore(dir);
    const config = { voters: ["n1", "n2"], addrs: { n2: { peer: "127.0.0.1:2", http: "http://127.0.0.1:3" } } };
    const saved = await Promise.all([
      store.save({ index: 10, term: 1, data: "local", config }),
      store.save({ index: 20, term: 2, data: "leader", config }),
    ]);
    expect(saved.map((f) => f.endsWith(".snap"))).toEqual([true, true]);
    expect(store.load()).toEqual({ index: 20, term: 2, data: "leader", config });
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it("removes a temporary a crash left behind when it loads", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tob-snap-"));
    dirs.push(dir);
    const store = new SnapshotStore(dir);
    await store.save({ index: 5, term: 1, data: "x", config: { voters: ["n1"], addrs: {} } });
    rmSync(join(dir, readdirSync(dir)[0]!));
    writeFileSync(join(dir, "0000000000000009-0000000000000001.snap.tmp"), "half");
    expect(store.load()).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });
});
