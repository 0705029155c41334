import { performance } from "node:perf_hooks";
import type { Cluster, ClusterClient } from "../clusters/cluster.js";
import { startBenchCluster, clusterLeader } from "./cluster-factory.js";

export interface FailoverOptions {
  /** A registered kind (clusters/index.ts). */
  cluster: string;
  nodes: number;
  trials: number;
  /** Concurrent writers keeping a steady load on the cluster. */
  writers: number;
  /** Quiet time before each kill, so the cluster is steady when it happens. */
  settleMs: number;
  /** A trial that sees no new acknowledged write within this bound counts as failed. */
  trialTimeoutMs: number;
}

export interface FailoverTrial {
  killedLeader: string;
  /** SIGKILL of the leader → another node reports itself leader. */
  newLeaderMs: number | null;
  /** SIGKILL of the leader → the first write invoked after the kill is acknowledged. */
  firstAckMs: number | null;
}

export interface FailoverResult {
  cluster: string;
  nodes: number;
  trials: FailoverTrial[];
  ackedWrites: number;
  /** Acknowledged writes not found (or found with another value) when read back at the end. */
  lostWrites: number;
  lostExamples: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writers put distinct keys through any live node, recording every acknowledgement with its invoke time. */
class SteadyWriters {
  private stopped = false;
  private seq = 0;
  readonly acked = new Map<string, string>();
  /** The latest invoke time (ms, performance clock) of any acknowledged write. */
  private latestAckedInvokeMs = -Infinity;
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly cluster: Cluster,
    private readonly liveNodes: () => string[],
    writers: number,
  ) {
    const clients = new Map<string, ClusterClient>();
    const clientFor = (node: string) => {
      let c = clients.get(node);
      if (!c) clients.set(node, (c = cluster.client(node)));
      return c;
    };
    for (let w = 0; w < writers; w++) this.loops.push(this.loop(w, clientFor));
    this.closeClients = async () => {
      for (const c of clients.values()) await c.close();
    };
  }

  private closeClients: () => Promise<void>;

  private async loop(writer: number, clientFor: (node: string) => ClusterClient): Promise<void> {
    while (!this.stopped) {
      const nodes = this.liveNodes();
      const node = nodes[(writer + this.seq) % nodes.length]!;
      const key = `f-${writer}-${this.seq++}`;
      const value = String(this.seq);
      const invokedMs = performance.now();
      const out = await clientFor(node).put(key, value);
      if (out.type === "ok") {
        this.acked.set(key, value);
        this.latestAckedInvokeMs = Math.max(this.latestAckedInvokeMs, invokedMs);
      } else {
        await sleep(5); // no leader yet: retry soon, but do not spin
      }
    }
  }

  /** True once a write invoked after `ms` has been acknowledged. */
  ackedAfter(ms: number): boolean {
    return this.latestAckedInvokeMs > ms;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.loops);
    await this.closeClients();
  }
}

async function readBack(cluster: Cluster, node: string, acked: Map<string, string>): Promise<{ lost: number; examples: string[] }> {
  const client = cluster.client(node);
  const entries = [...acked.entries()];
  let lost = 0;
  const examples: string[] = [];
  const readers = 16;
  let next = 0;
  await Promise.all(
    Array.from({ length: readers }, async () => {
      while (next < entries.length) {
        const [key, value] = entries[next++]!;
        let out = await client.get(key);
        for (let attempt = 0; attempt < 5 && out.type !== "ok"; attempt++) {
          await sleep(100);
          out = await client.get(key);
        }
        if (out.type !== "ok" || out.value !== value) {
          lost++;
          if (examples.length < 10)
            examples.push(`${key}: wrote ${value}, read ${out.type === "ok" ? JSON.stringify(out.value) : out.error}`);
        }
      }
    }),
  );
  await client.close();
  return { lost, examples };
}

async function killLeaderOnce(cluster: Cluster, writers: SteadyWriters, down: Set<string>, opts: FailoverOptions): Promise<FailoverTrial> {
  const leader = await clusterLeader(cluster, opts.trialTimeoutMs);
  const killMs = performance.now();
  await cluster.kill(leader);
  down.add(leader);
  let newLeaderMs: number | null = null;
  let firstAckMs: number | null = null;
  const deadline = killMs + opts.trialTimeoutMs;
  while (performance.now() < deadline && (newLeaderMs === null || firstAckMs === null)) {
    if (newLeaderMs === null) {
      const now = await cluster.leader?.();
      if (now && now !== leader) newLeaderMs = performance.now() - killMs;
    }
    if (firstAckMs === null && writers.ackedAfter(killMs)) firstAckMs = performance.now() - killMs;
    await sleep(2);
  }
  await cluster.restart(leader);
  down.delete(leader);
  return { killedLeader: leader, newLeaderMs, firstAckMs };
}

export async function runFailover(opts: FailoverOptions, dir: string, log: (line: string) => void): Promise<FailoverResult> {
  const cluster = await startBenchCluster({ kind: opts.cluster, nodes: opts.nodes }, dir);
  const down = new Set<string>();
  const liveNodes = () =>
    cluster
      .nodes()
      .map((n) => n.id)
      .filter((id) => !down.has(id));
  const writers = new SteadyWriters(cluster, liveNodes, opts.writers);
  try {
    const trials: FailoverTrial[] = [];
    for (let t = 0; t < opts.trials; t++) {
      await sleep(opts.settleMs);
      const trial = await killLeaderOnce(cluster, writers, down, opts);
      trials.push(trial);
      const ms = (v: number | null) => (v === null ? "never" : `${v.toFixed(0)} ms`);
      log(
        `failover ${opts.cluster} #${t + 1}: killed ${trial.killedLeader}; new leader after ${ms(trial.newLeaderMs)}; first ack after ${ms(trial.firstAckMs)}`,
      );
    }
    await sleep(opts.settleMs);
    await writers.stop();
    const leader = await clusterLeader(cluster, opts.trialTimeoutMs);
    const { lost, examples } = await readBack(cluster, leader, writers.acked);
    return { cluster: opts.cluster, nodes: opts.nodes, trials, ackedWrites: writers.acked.size, lostWrites: lost, lostExamples: examples };
  } finally {
    await writers.stop();
    await cluster.stop();
  }
}
