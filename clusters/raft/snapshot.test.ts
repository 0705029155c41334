import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { NodeStatus } from "../cluster.js";
import { RaftCluster } from "./adapter.js";
import { putKv } from "../api/put-kv.js";

// A real 3-node cluster from dist/: run `npx tsc -p .` first.

/** 20k in `npm test` (about 15 s of writes here); the soak runs the 100k (TOB_SNAPSHOT_BEHIND). */
const ENTRIES_BEHIND = Number(process.env.TOB_SNAPSHOT_BEHIND ?? 20_000);
const dir = mkdtempSync(join(tmpdir(), "tob-snapshot-"));
const cluster = new RaftCluster({
  dir,
  nodes: 3,
  tuning: { snapshotEntries: ENTRIES_BEHIND / 10, snapshotKeepEntries: 1000, walSegmentBytes: 256 * 1024 },
});
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

afterAll(async () => {
  agent.destroy();
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function put(base: string, key: string, value: string): Promise<number> {
  return (await putKv(agent, base, key, value)).status;
}

async function status(base: string): Promise<NodeStatus | null> {
  try {
    return (await (await fetch(`${base}/v1/status`)).json()) as NodeStatus;
  } catch {
    return null;
  }
}

async function localRead(base: string, key: string): Promise<string | null> {
  return ((await (await fetch(`${base}/v1/kv/${key}?consistency=local`)).json()) as { value: string | null }).value;
}

async function until<T>(what: string, probe: () => Promise<T | null | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const dataDir = (id: string) => join(dir, "data", id);
const logOf = (id: string) => readFileSync(join(dir, "nodes", `${id}.log`), "utf8");
function walBytes(id: string): number {
  const wal = join(dataDir(id), "wal");
  return readdirSync(wal).reduce((n, f) => n + statSync(join(wal, f)).size, 0);
}

describe("snapshots and compaction on a real cluster", () => {
  it(`brings a follower killed for ${ENTRIES_BEHIND} entries back by InstallSnapshot, and restarts after compaction`, async () => {
    await cluster.start();
    const first = (await cluster.leader())!;
    const url = (id: string) => cluster.nodes().find((n) => n.id === id)!.httpUrl;
    const lagging = cluster.nodes().find((n) => n.id !== first)!.id;
    await cluster.kill(lagging);

    // Bounded: ENTRIES_BEHIND writes over 48 keep-alive connections, through both live
    // nodes (a follower forwards). A refused or unknown write is resent: a put of the
    // same value is idempotent, and a loaded machine may change leaders meanwhile.
    const live = cluster
      .nodes()
      .filter((n) => n.id !== lagging)
      .map((n) => n.httpUrl);
    let next = 0;
    let resent = 0;
    await Promise.all(
      Array.from({ length: 48 }, async (_, w) => {
        while (next < ENTRIES_BEHIND) {
          const i = next++;
          for (let attempt = 0; (await put(live[(w + attempt) % 2]!, `k${i % 500}`, `v${i}`)) !== 200; attempt++) {
            if (attempt >= 100) throw new Error(`write ${i} failed 100 times`);
            resent++;
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      }),
    );
    const leader = (await until("a leader", async () => (await cluster.leader()) ?? false, 15_000)) as string;
    const leaderStatus = (await status(url(leader)))!;
    expect(leaderStatus.commitIndex, `after ${resent} resends`).toBeGreaterThan(ENTRIES_BEHIND);
    // The leader compacted: a snapshot on disk and only the segments since it (at most
    // ENTRIES_BEHIND / 10 entries of under 100 bytes, plus two 256 KiB segments), where
    // the whole history would take about 90 bytes an entry.
    expect(readdirSync(join(dataDir(leader), "snap")).filter((f) => f.endsWith(".snap"))).toHaveLength(1);
    expect(walBytes(leader)).toBeLessThan(Math.max(1024 * 1024, (ENTRIES_BEHIND / 10) * 100 + 512 * 1024));
    expect(walBytes(leader)).toBeLessThan(ENTRIES_BEHIND * 90);

    const t0 = Date.now();
    await cluster.restart(lagging);
    await until(
      "the lagging follower catches up",
      async () => {
        const s = await status(url(lagging));
        return s !== null && s.appliedIndex >= leaderStatus.commitIndex;
      },
      30_000,
    );
    const catchUpMs = Date.now() - t0;
    expect(logOf(lagging)).toMatch(/installing a snapshot at \d+/);
    for (const k of [0, 1, 250, 499]) expect(await localRead(url(lagging), `k${k}`)).toBe(await localRead(url(leader), `k${k}`));
    expect(catchUpMs).toBeLessThan(30_000);

    // Restart after compaction: the node starts from its snapshot and the log after it.
    await cluster.kill(leader);
    await cluster.restart(leader);
    expect(logOf(leader)).toMatch(/restored term \d+, vote \S+, commit \d+, snapshot at [1-9]\d*, \d+ entries after it/);
    // Through the restarted node, which forwards once it knows the leader again.
    await until("a write after the restart", async () => (await put(url(leader), "after", "restart")) === 200, 15_000);
    expect(await localRead(url(leader), "k499")).toBe(`v${ENTRIES_BEHIND - 1}`);
    expect(existsSync(join(dataDir(lagging), "snap"))).toBe(true);
  }, 120_000);
});
