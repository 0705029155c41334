import { readdirSync, readFileSync, statSync } from "node:fs";
import { Agent } from "node:http";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { NodeStatus } from "../clusters/cluster.js";
import { RaftCluster } from "../clusters/raft/adapter.js";
import { putKv } from "../clusters/api/put-kv.js";
import { median } from "../src/gate/measurements.js";
import { clusterLeader } from "./cluster-factory.js";

/**
 * The durability figures of `npm run bench:cluster` (issue 13): restart time after
 * N writes with and without compaction, catch-up time of a follower 100k entries
 * behind, and writes/s while a snapshot is being taken. N is TOB_BENCH_WRITES
 * (1,000,000 by default; each phase's writes are bounded by it).
 */

const WRITERS = 64;
const VALUE = "v".repeat(100);
const KEYS = 10_000;
const RESTART_TIMEOUT_MS = 600_000;
/** Snapshot windows: throughput in the 250 ms after the leader's applied index crosses a snapshot point. */
const WINDOW_MS = 250;

export interface DurabilityFigures {
  writes: number;
  restart: { withoutCompactionMs: number; withCompactionMs: number; walBytesWithout: number; walBytesWith: number };
  catchUp: { entriesBehind: number; ms: number; installedSnapshot: boolean };
  duringSnapshot: { snapshotEntries: number; writesPerSecMedian: number; writesPerSecInSnapshotWindows: number; windows: number };
}

const agent = new Agent({ keepAlive: true, maxSockets: WRITERS * 2 });

function put(base: string, key: string): Promise<{ status: number; index: number }> {
  return putKv(agent, base, key, VALUE);
}

/** `count` acknowledged writes through `urls` (resending refused ones), with each ack's time and index. */
async function writeN(urls: string[], count: number, acks?: Array<[number, number]>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      while (next < count) {
        const i = next++;
        for (let attempt = 0; ; attempt++) {
          const r = await put(urls[(w + attempt) % urls.length] as string, `k${i % KEYS}`);
          if (r.status === 200) {
            acks?.push([performance.now(), r.index]);
            break;
          }
          if (attempt >= 200) throw new Error(`write ${i} refused 200 times (last status ${r.status})`);
          await new Promise((res) => setTimeout(res, 20));
        }
      }
    }),
  );
}

async function status(url: string): Promise<NodeStatus | null> {
  try {
    return (await (await fetch(`${url}/v1/status`)).json()) as NodeStatus;
  } catch {
    return null;
  }
}

/** From the restart of `id` until it has applied `index` again. */
async function timeToApply(cluster: RaftCluster, id: string, index: number): Promise<number> {
  const url = cluster.nodes().find((n) => n.id === id)!.httpUrl;
  const t0 = performance.now();
  await cluster.restart(id);
  for (;;) {
    const s = await status(url);
    if (s && s.appliedIndex >= index) return performance.now() - t0;
    if (performance.now() - t0 > RESTART_TIMEOUT_MS) throw new Error(`${id} did not apply ${index} within ${RESTART_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function bytesIn(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/** One node, N writes, SIGKILL, restart: how long until it serves its whole state again. */
async function restartAfter(dir: string, writes: number, compaction: boolean): Promise<{ ms: number; walBytes: number }> {
  const cluster = new RaftCluster({ dir, nodes: 1, tuning: compaction ? {} : { snapshotEntries: writes * 2 } });
  try {
    await cluster.start();
    const [node] = cluster.nodes();
    await writeN([node!.httpUrl], writes);
    const applied = (await status(node!.httpUrl))!.appliedIndex;
    const walBytes = bytesIn(join(dir, "data", node!.id, "wal"));
    await cluster.kill(node!.id);
    return { ms: await timeToApply(cluster, node!.id, applied), walBytes };
  } finally {
    await cluster.stop();
  }
}

/** A follower killed while the others take `behind` writes, then restarted. */
async function catchUp(dir: string, behind: number): Promise<DurabilityFigures["catchUp"]> {
  const cluster = new RaftCluster({ dir, nodes: 3 });
  try {
    await cluster.start();
    const leader = await clusterLeader(cluster, 10_000);
    const lagging = cluster.nodes().find((n) => n.id !== leader)!.id;
    await cluster.kill(lagging);
    await writeN(
      cluster
        .nodes()
        .filter((n) => n.id !== lagging)
        .map((n) => n.httpUrl),
      behind,
    );
    const now = await clusterLeader(cluster, 10_000);
    const commit = (await status(cluster.nodes().find((n) => n.id === now)!.httpUrl))!.commitIndex;
    const ms = await timeToApply(cluster, lagging, commit);
    const installedSnapshot = /installing a snapshot/.test(readFileSync(join(dir, "nodes", `${lagging}.log`), "utf8"));
    return { entriesBehind: behind, ms, installedSnapshot };
  } finally {
    await cluster.stop();
  }
}

/** Throughput in 250 ms windows, and in those that follow a snapshot point of the leader. */
async function duringSnapshot(dir: string, writes: number): Promise<DurabilityFigures["duringSnapshot"]> {
  const snapshotEntries = 20_000;
  const cluster = new RaftCluster({ dir, nodes: 3, tuning: { snapshotEntries } });
  try {
    await cluster.start();
    const leader = await clusterLeader(cluster, 10_000);
    const acks: Array<[number, number]> = [];
    await writeN([cluster.nodes().find((n) => n.id === leader)!.httpUrl], writes, acks);
    acks.sort((a, b) => a[0] - b[0]);
    const start = acks[0]![0];
    const counts: number[] = [];
    for (const [t] of acks) counts[Math.floor((t - start) / WINDOW_MS)] = (counts[Math.floor((t - start) / WINDOW_MS)] ?? 0) + 1;
    const perSec = Array.from(counts, (c) => ((c ?? 0) * 1000) / WINDOW_MS);
    // The window in which each snapshot point's entry was acknowledged: the snapshot is taken right after it applies.
    const snapWindows = new Set<number>();
    for (const [t, index] of acks) if (index % snapshotEntries === 0) snapWindows.add(Math.floor((t - start) / WINDOW_MS));
    const inSnap = [...snapWindows].map((w) => perSec[w] ?? 0);
    return {
      snapshotEntries,
      writesPerSecMedian: median(perSec),
      writesPerSecInSnapshotWindows: inSnap.length === 0 ? 0 : median(inSnap),
      windows: inSnap.length,
    };
  } finally {
    await cluster.stop();
  }
}

export async function durability(dir: string, writes: number): Promise<DurabilityFigures> {
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const without = await restartAfter(join(dir, "restart-plain"), writes, false);
  log(`restart after ${writes} writes, no compaction: ${without.ms.toFixed(0)} ms (WAL ${without.walBytes} bytes)`);
  const withC = await restartAfter(join(dir, "restart-compacted"), writes, true);
  log(`restart after ${writes} writes, compaction: ${withC.ms.toFixed(0)} ms (WAL ${withC.walBytes} bytes)`);
  const behind = Math.min(100_000, writes);
  const c = await catchUp(join(dir, "catch-up"), behind);
  log(`catch-up of a follower ${behind} entries behind: ${c.ms.toFixed(0)} ms (snapshot installed: ${c.installedSnapshot})`);
  const d = await duringSnapshot(join(dir, "during-snapshot"), Math.min(writes, 200_000));
  log(
    `writes/s: median ${d.writesPerSecMedian.toFixed(0)}, in the ${d.windows} windows with a snapshot ${d.writesPerSecInSnapshotWindows.toFixed(0)}`,
  );
  return {
    writes,
    restart: {
      withoutCompactionMs: without.ms,
      withCompactionMs: withC.ms,
      walBytesWithout: without.walBytes,
      walBytesWith: withC.walBytes,
    },
    catchUp: c,
    duringSnapshot: d,
  };
}
