import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { planNodes, spawnNode, writeNodeConfig } from "./launch.js";
import { SnapshotStore } from "./snapshots.js";
import { Wal } from "./wal.js";

// Spawns dist/: run `npx tsc -p .` first.

const dir = mkdtempSync(join(tmpdir(), "tob-startup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("node start-up", () => {
  it("refuses to start on a write-ahead log corrupt beyond its tail, naming file and offset", async () => {
    const [spec] = await planNodes(dir, ["n1"]);
    writeNodeConfig(spec!, [spec!], {});
    const { wal } = Wal.open(join(spec!.dataDir, "wal"));
    await wal.append({ term: 1, vote: "n1", commit: 0 }, [{ index: 1, term: 1, type: "noop", data: "" }]);
    const firstEnd = wal.endOffset;
    await wal.append({ term: 1, vote: "n1", commit: 1 }, [{ index: 2, term: 1, type: "normal", data: `{"op":"bcast","message":"m"}` }]);
    await wal.close();
    const buf = readFileSync(wal.file);
    buf[firstEnd + 10] ^= 0x55;
    writeFileSync(wal.file, buf);

    const result = await spawnNode(spec!, { detached: false });
    expect(result.exitCode).toBe(1);
    const log = readFileSync(spec!.logFile, "utf8");
    expect(log).toContain(`write-ahead log ${wal.file} is corrupt at byte offset ${firstEnd}`);
    expect(statSync(wal.file).size).toBe(buf.length);
  });

  it("refuses to start on a corrupt snapshot, naming file and offset", async () => {
    const [spec] = await planNodes(join(dir, "snap"), ["n1"]);
    writeNodeConfig(spec!, [spec!], {});
    const file = await new SnapshotStore(join(spec!.dataDir, "snap")).save({
      index: 5,
      term: 1,
      data: "{}",
      config: { voters: ["n1"], addrs: {} },
    });
    const buf = readFileSync(file);
    buf[buf.length - 3] ^= 0x40;
    writeFileSync(file, buf);
    const result = await spawnNode(spec!, { detached: false });
    expect(result.exitCode).toBe(1);
    expect(readFileSync(spec!.logFile, "utf8")).toMatch(
      new RegExp(`snapshot ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is corrupt at byte offset \\d+ \\(checksum mismatch\\)`),
    );
  });

  it("exits with a usage message on a bad config", async () => {
    const [spec] = await planNodes(join(dir, "bad"), ["n1"]);
    writeNodeConfig(spec!, [spec!], {});
    const result = await spawnNode(spec!, { detached: false, extraArgs: ["--bug", "nonsense"] });
    expect(result.exitCode).toBe(2);
    expect(readFileSync(spec!.logFile, "utf8")).toContain(`unknown bug "nonsense"`);
  });
});
