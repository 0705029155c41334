/**
 * Writes under the kill and membership nemeses for TOB_SOAK_SECONDS (default
 * 600): every third round removes a follower and adds it back as a new, empty
 * member (it catches up by snapshot), the others kill a node (the leader every
 * other time) and restart it. WAL bytes on disk and every node's RSS must stay
 * bounded while the history grows, which needs snapshots and compaction to
 * keep up. Figures go to stdout.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RaftCluster } from "../../clusters/raft/adapter.js";
import { putKv } from "../../clusters/api/put-kv.js";

const seconds = Number(process.env.TOB_SOAK_SECONDS ?? 600);
const WRITERS = 32;
const SAMPLE_MS = 5000;
const KILL_EVERY_MS = 15_000;
const DOWN_MS = 4000;
const SEGMENT_BYTES = 1024 * 1024;
/** Snapshots every 10k entries; the WAL keeps what follows the last one, a few segments. */
const WAL_BYTES_MAX = 8 * SEGMENT_BYTES;

const dir = mkdtempSync(join(tmpdir(), "tob-soak-durable-"));
const cluster = new RaftCluster({
  dir,
  nodes: 3,
  tuning: { snapshotEntries: 10_000, snapshotKeepEntries: 2000, walSegmentBytes: SEGMENT_BYTES },
});
const agent = new Agent({ keepAlive: true, maxSockets: WRITERS * 3 });

afterAll(async () => {
  agent.destroy();
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function put(base: string, key: string, value: string): Promise<number> {
  return (await putKv(agent, base, key, value, 5000)).status;
}

function walBytes(id: string): number {
  const wal = join(dir, "data", id, "wal");
  if (!existsSync(wal)) return 0;
  return readdirSync(wal).reduce((n, f) => n + statSync(join(wal, f)).size, 0);
}

function rssBytes(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

describe("durability soak", () => {
  it(
    `${seconds}s of writes under kill and membership: WAL bytes and RSS stay bounded`,
    async () => {
      await cluster.start();
      const stopAt = Date.now() + seconds * 1000;
      let ok = 0;
      let notOk = 0;
      const samples: Array<{ t: number; wal: number[]; rss: Array<number | null>; ok: number }> = [];
      const writers = Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = 0; Date.now() < stopAt; i++) {
          const nodes = cluster.nodes();
          const status = await put(nodes[(w + i) % nodes.length]!.httpUrl, `k${(w * 7919 + i) % 5000}`, `v${w}-${i}`);
          if (status === 200) ok++;
          else {
            notOk++;
            await new Promise((r) => setTimeout(r, 20));
          }
        }
      });
      const sampler = (async () => {
        while (Date.now() < stopAt) {
          await new Promise((r) => setTimeout(r, SAMPLE_MS));
          const nodes = cluster.nodes();
          samples.push({ t: Date.now(), wal: nodes.map((n) => walBytes(n.id)), rss: nodes.map((n) => rssBytes(n.pid)), ok });
        }
      })();
      const membership = { removed: 0, added: 0, refused: [] as string[] };
      const nemesis = (async () => {
        for (let round = 0; Date.now() + KILL_EVERY_MS < stopAt; round++) {
          await new Promise((r) => setTimeout(r, KILL_EVERY_MS - DOWN_MS));
          const leader = await cluster.leader();
          const ids = cluster.nodes().map((n) => n.id);
          if (round % 3 === 2) {
            const victim = ids.find((id, i) => id !== leader && i >= round % ids.length) ?? ids.find((id) => id !== leader)!;
            try {
              await cluster.removeMember(victim);
              membership.removed++;
            } catch (err) {
              // A refusal (a change in flight, no leader yet) is an answer, not a failure; it is counted.
              membership.refused.push((err as Error).message);
              continue;
            }
            await new Promise((r) => setTimeout(r, DOWN_MS));
            for (let attempt = 1; ; attempt++) {
              try {
                await cluster.addMember(victim);
                membership.added++;
                break;
              } catch (err) {
                if (attempt >= 10) throw err;
                membership.refused.push((err as Error).message);
                await new Promise((r) => setTimeout(r, 1000));
              }
            }
            continue;
          }
          const victim = round % 2 === 0 && leader ? leader : ids[round % ids.length]!;
          await cluster.kill(victim);
          await new Promise((r) => setTimeout(r, DOWN_MS));
          await cluster.restart(victim);
        }
      })();
      await Promise.all([...writers, sampler, nemesis]);

      const walMax = Math.max(...samples.flatMap((s) => s.wal));
      const rssAll = samples.flatMap((s) => s.rss.filter((r): r is number => r !== null));
      const half = Math.floor(samples.length / 2);
      const rssFirst = Math.max(...samples.slice(0, half).flatMap((s) => s.rss.filter((r): r is number => r !== null)));
      const rssSecond = Math.max(...samples.slice(half).flatMap((s) => s.rss.filter((r): r is number => r !== null)));
      const mib = (b: number) => (b / 2 ** 20).toFixed(1);
      process.stdout.write(
        `durability soak: ${seconds}s, ${ok} writes acknowledged (${notOk} refused or unknown, resent), ` +
          `WAL max ${mib(walMax)} MiB per node (bound ${mib(WAL_BYTES_MAX)}), RSS max ${mib(Math.max(...rssAll))} MiB ` +
          `(first half ${mib(rssFirst)}, second half ${mib(rssSecond)}); members removed ${membership.removed}, ` +
          `added back empty ${membership.added}, changes refused ${membership.refused.length}` +
          `${membership.refused.length ? ` (first: ${membership.refused[0]})` : ""}\n`,
      );
      // Every third 15 s round is a membership change: most must go through.
      const membershipRounds = Math.floor(Math.floor((seconds * 1000) / KILL_EVERY_MS) / 3);
      expect(membership.added).toBeGreaterThanOrEqual(Math.ceil(membershipRounds / 2));
      expect(membership.added).toBe(membership.removed);
      expect(ok).toBeGreaterThan(seconds * 50);
      expect(walMax).toBeLessThanOrEqual(WAL_BYTES_MAX);
      // Bounded, not growing with the history: the second half's peak within 25% (+32 MiB) of the first's.
      expect(rssSecond).toBeLessThanOrEqual(rssFirst * 1.25 + 32 * 2 ** 20);
    },
    (seconds + 180) * 1000,
  );
});
