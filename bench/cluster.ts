import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { RaftCluster } from "../clusters/raft/adapter.js";
import { median } from "../src/gate/measurements.js";
import { PACKAGE_ROOT } from "../src/paths.js";
import { clusterLeader } from "./cluster-factory.js";
import { durability } from "./durability.js";
import { runLoad, type LoadFigures } from "./load.js";

/**
 * `npm run bench:cluster`: our 3-node Raft cluster, fsync on, on loopback.
 * Writes/s and latency for PUT /v1/kv/:key and POST /v1/broadcast with
 * 100-byte values at 1/16/64/256 connections to the leader, then the time from
 * SIGKILL of the leader to the first acknowledged write (median of 5).
 * The reference is etcd 3.4 on this machine kind: 4,164 puts/s at 64 connections.
 * Then the durability figures (./durability.ts) after TOB_BENCH_WRITES writes
 * (default 1,000,000); `--durability-only` runs just those.
 */

const CONNECTIONS = [1, 16, 64, 256];
const DURATION_SEC = 5;
const FAILOVER_TRIALS = 5;
const FAILOVER_TIMEOUT_MS = 10_000;
const SETTLE_MS = 500;
const ETCD_PUTS_PER_SEC_AT_64 = 4164;
const VALUE = "v".repeat(100);

interface LoadRow extends LoadFigures {
  op: "put" | "broadcast";
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const LEADER_TIMEOUT_MS = 10_000;

async function leaderUrl(cluster: RaftCluster): Promise<{ id: string; url: string }> {
  const id = await clusterLeader(cluster, LEADER_TIMEOUT_MS);
  return { id, url: cluster.nodes().find((n) => n.id === id)!.httpUrl };
}

async function throughput(cluster: RaftCluster): Promise<LoadRow[]> {
  const rows: LoadRow[] = [];
  for (const op of ["put", "broadcast"] as const) {
    for (const connections of CONNECTIONS) {
      const { url } = await leaderUrl(cluster);
      const template =
        op === "put"
          ? { method: "PUT" as const, path: (n: number) => `/v1/kv/k${n}`, body: () => JSON.stringify({ value: VALUE }) }
          : { method: "POST" as const, path: () => "/v1/broadcast", body: () => JSON.stringify({ message: VALUE }) };
      const figures = await runLoad({ url, template, connections, durationSec: DURATION_SEC, timeoutSec: 10 });
      rows.push({ op, ...figures });
      process.stderr.write(
        `${op} c=${connections}: ${figures.okPerSec.toFixed(0)}/s p50 ${figures.latencyMsP50} ms p99 ${figures.latencyMsP99} ms\n`,
      );
    }
  }
  return rows;
}

/** SIGKILL the leader; writers on every survivor retry until one write is acknowledged. */
async function failoverTrial(cluster: RaftCluster, trial: number): Promise<{ killed: string; firstAckMs: number | null }> {
  const { id: killed } = await leaderUrl(cluster);
  const survivors = cluster
    .nodes()
    .filter((n) => n.id !== killed)
    .map((n) => n.id);
  const clients = survivors.flatMap((id) => [cluster.client(id), cluster.client(id)]);
  await cluster.kill(killed);
  const killedAt = performance.now();
  let firstAckMs: number | null = null;
  await Promise.all(
    clients.map(async (c, w) => {
      for (let n = 0; firstAckMs === null && performance.now() - killedAt < FAILOVER_TIMEOUT_MS; n++) {
        const out = await c.put(`failover-${trial}-${w}-${n}`, VALUE);
        if (out.type === "ok") firstAckMs ??= performance.now() - killedAt;
        else await sleep(2);
      }
    }),
  );
  await Promise.all(clients.map((c) => c.close()));
  await cluster.restart(killed);
  await sleep(SETTLE_MS);
  return { killed, firstAckMs };
}

/** Leader elections the nodes logged; 1 means none after the first. */
function electionsLogged(dir: string): number {
  const logs = join(dir, "nodes");
  return readdirSync(logs).reduce((n, f) => n + (readFileSync(join(logs, f), "utf8").match(/ role leader,/g)?.length ?? 0), 0);
}

const WRITES_DEFAULT = 1_000_000;

function writesWanted(): number {
  const text = process.env.TOB_BENCH_WRITES;
  const n = text === undefined ? WRITES_DEFAULT : Number(text);
  if (!Number.isSafeInteger(n) || n < 1000) {
    process.stderr.write(`bench:cluster: TOB_BENCH_WRITES must be an integer of at least 1000, got ${JSON.stringify(text)}\n`);
    process.exit(2);
  }
  return n;
}

async function durabilityOnly(): Promise<void> {
  const dir = join(PACKAGE_ROOT, "results", "bench-cluster-durability");
  rmSync(dir, { recursive: true, force: true });
  try {
    const figures = await durability(dir, writesWanted());
    mkdirSync(join(PACKAGE_ROOT, "results"), { recursive: true });
    const out = {
      bench: "cluster-durability",
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      durability: figures,
    };
    writeFileSync(join(PACKAGE_ROOT, "results", "bench-cluster-durability.json"), JSON.stringify(out, null, 2) + "\n");
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\nwrote results/bench-cluster-durability.json\n`);
  } finally {
    removeData(dir);
  }
}

/** The durability phases' data folders (their logs stay). */
function removeData(dir: string): void {
  if (!existsSync(dir)) return;
  for (const d of readdirSync(dir)) rmSync(join(dir, d, "data"), { recursive: true, force: true });
}

async function main(): Promise<void> {
  // Node logs stay in results/ for a look after the run; the data is removed.
  const dir = join(PACKAGE_ROOT, "results", "bench-cluster-run");
  rmSync(dir, { recursive: true, force: true });
  const writes = writesWanted();
  const cluster = new RaftCluster({ dir, nodes: 3 });
  try {
    await cluster.start();
    const rows = await throughput(cluster);
    const electionsDuringThroughput = electionsLogged(dir);
    const trials = [];
    for (let t = 0; t < FAILOVER_TRIALS; t++) {
      const r = await failoverTrial(cluster, t);
      trials.push(r);
      process.stderr.write(`failover ${t + 1}: killed ${r.killed}, first ack after ${r.firstAckMs?.toFixed(0) ?? "none"} ms\n`);
    }
    const acked = trials.flatMap((t) => (t.firstAckMs === null ? [] : [t.firstAckMs]));
    const failoverMedianMs = acked.length === 0 ? null : median(acked);
    const put64 = rows.find((r) => r.op === "put" && r.connections === 64)!;
    await cluster.stop();
    const durable = await durability(join(dir, "durability"), writes);

    process.stdout.write(`\n| op | connections | writes/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|---|\n`);
    for (const r of rows) {
      process.stdout.write(
        `| ${r.op} | ${r.connections} | ${r.okPerSec.toFixed(0)} | ${r.latencyMsP50} | ${r.latencyMsP99} | ${r.non2xxCount + r.errorCount} |\n`,
      );
    }
    process.stdout.write(
      `\nfailover (SIGKILL leader → first acknowledged write): median ${failoverMedianMs?.toFixed(0) ?? "n/a"} ms over ${trials.length} trials ` +
        `[${trials.map((t) => t.firstAckMs?.toFixed(0) ?? "none").join(", ")}]\n` +
        `leader elections during the throughput runs: ${electionsDuringThroughput} (1 = none after the first)\n` +
        `puts at 64 connections: ${put64.okPerSec.toFixed(0)}/s = ${(put64.okPerSec / ETCD_PUTS_PER_SEC_AT_64).toFixed(2)}x etcd's ${ETCD_PUTS_PER_SEC_AT_64} (target 2x); failover target < 300 ms\n`,
    );
    const out = {
      bench: "cluster",
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      setup: { nodes: 3, fsync: true, network: "loopback", valueBytes: VALUE.length, durationSec: DURATION_SEC },
      throughput: rows,
      failover: { trials, medianMs: failoverMedianMs },
      electionsDuringThroughput,
      durability: durable,
      reference: { etcdPutsPerSecAt64: ETCD_PUTS_PER_SEC_AT_64, ratioAt64: put64.okPerSec / ETCD_PUTS_PER_SEC_AT_64 },
    };
    mkdirSync(join(PACKAGE_ROOT, "results"), { recursive: true });
    writeFileSync(join(PACKAGE_ROOT, "results", "bench-cluster.json"), JSON.stringify(out, null, 2) + "\n");
    process.stdout.write("wrote results/bench-cluster.json\n");
  } finally {
    await cluster.stop();
    rmSync(join(dir, "data"), { recursive: true, force: true });
    removeData(join(dir, "durability"));
  }
}

if (process.argv.includes("--durability-only")) await durabilityOnly();
else await main();
