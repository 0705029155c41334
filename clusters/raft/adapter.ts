import type { Cluster, ClusterClient, NodeInfo } from "../cluster.js";
import { onProcessExit } from "../../src/nemesis/netns/exit-hooks.js";
import type { NetnsNetwork } from "../../src/nemesis/netns/network.js";
import { RaftHttpClient, CLIENT_TIMEOUT_MS_DEFAULT } from "./node/client.js";
import { leaderOf, statuses, waitForLeader } from "./node/leader.js";
import { logTail, nodeIds, planNodes, spawnNode, writeNodeConfig, type NodeProcess, type NodeSpec, type Tuning } from "./node/launch.js";

/**
 * Our Raft cluster behind the Cluster seam: one OS process per node, spawned
 * from dist/ with execa as children that die with the controller (they exit
 * when their stdin pipe closes, and an exit hook SIGKILLs them too).
 */

export interface RaftClusterOptions {
  /** Run folder: data in DIR/data/<id>, logs in DIR/nodes/<id>.log. */
  dir: string;
  /** Members n1..nN; default 3. With `netns`, its hosts are the members. */
  nodes?: number;
  /** For node `from`, the address to dial for each peer (e.g. a fault-injecting proxy's listeners). */
  peerDial?: (from: string) => Record<string, string>;
  /** Run each node inside its host of this (already set up) network; partitions then go through it. */
  netns?: NetnsNetwork;
  /** Extra arguments for every node, e.g. ["--bug", "stale-reads"]. */
  nodeArgs?: string[];
  /** Tick, election and heartbeat settings, and the seed of the election timeouts. */
  tuning?: Tuning;
  startTimeoutMs?: number;
  /** A client call with no answer in this long is recorded as info. */
  requestTimeoutMs?: number;
}

/** Ports inside a namespace host, where each node has its own address. */
const NETNS_HTTP_PORT = 7001;
const NETNS_PEER_PORT = 7002;
const START_TIMEOUT_MS_DEFAULT = 15_000;
const RESTART_TIMEOUT_MS = 10_000;

interface Member {
  spec: NodeSpec;
  process: NodeProcess | null;
  exited: boolean;
  paused: boolean;
}

export class RaftCluster implements Cluster {
  readonly kind = "raft";
  private members: Member[] = [];
  private readonly clients: RaftHttpClient[] = [];
  private unregisterExitHook: (() => void) | null = null;
  private started = false;

  constructor(private readonly options: RaftClusterOptions) {
    const count = options.netns ? options.netns.hosts().length : (options.nodes ?? 3);
    if (!Number.isInteger(count) || count < 1) throw new Error(`raft: nodes must be a positive integer, got ${count}`);
    if (options.netns && options.nodes !== undefined && options.nodes !== count) {
      throw new Error(`raft: nodes=${options.nodes} but the network has ${count} hosts`);
    }
  }

  async start(): Promise<void> {
    if (this.started) throw new Error("raft: start() called twice");
    this.started = true;
    const net = this.options.netns;
    const ids = net ? net.hosts() : nodeIds(this.options.nodes ?? 3);
    const place = net ? (id: string) => ({ host: net.address(id), httpPort: NETNS_HTTP_PORT, peerPort: NETNS_PEER_PORT }) : undefined;
    const specs = await planNodes(this.options.dir, ids, place);
    for (const spec of specs) writeNodeConfig(spec, specs, this.options.tuning ?? {}, this.options.peerDial);
    this.members = specs.map((spec) => ({ spec, process: null, exited: true, paused: false }));
    this.unregisterExitHook = onProcessExit(() => {
      for (const m of this.members) if (!m.exited) m.process?.kill("SIGKILL");
    });
    try {
      for (const m of this.members) this.spawn(m);
      await waitForLeader(specs, this.options.startTimeoutMs ?? START_TIMEOUT_MS_DEFAULT, () => this.checkAlive());
    } catch (err) {
      const tails = this.members.map((m) => `--- ${m.spec.id} (${m.spec.logFile}):\n${logTail(m.spec.logFile)}`).join("\n");
      await this.stop();
      throw new Error(`raft: cluster did not start: ${(err as Error).message}\n${tails}`);
    }
  }

  nodes(): NodeInfo[] {
    return this.members.map((m) => ({
      id: m.spec.id,
      pid: !m.exited ? (m.process?.pid ?? null) : null,
      httpUrl: m.spec.httpUrl,
      peerAddr: m.spec.peerAddr,
    }));
  }

  client(node: string): ClusterClient {
    const client = new RaftHttpClient(node, this.member(node).spec.httpUrl, this.options.requestTimeoutMs ?? CLIENT_TIMEOUT_MS_DEFAULT);
    this.clients.push(client);
    return client;
  }

  /** SIGKILL; a node already down stays down. */
  async kill(node: string): Promise<void> {
    const m = this.member(node);
    if (m.exited || !m.process) return;
    m.process.kill("SIGKILL");
    await m.process;
    m.process = null;
    m.exited = true;
    m.paused = false;
  }

  /** Starts a killed node again on its data; returns once it answers. A running node is left alone. */
  async restart(node: string): Promise<void> {
    const m = this.member(node);
    if (!m.exited) return;
    this.spawn(m);
    const deadline = Date.now() + RESTART_TIMEOUT_MS;
    for (;;) {
      this.checkAlive();
      const [s] = await statuses([m.spec]);
      if (s) return;
      if (Date.now() > deadline) throw new Error(`raft: ${node} did not answer within ${RESTART_TIMEOUT_MS} ms of restart; log tail:\n${logTail(m.spec.logFile)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async pause(node: string): Promise<void> {
    const m = this.liveMember(node);
    m.process.kill("SIGSTOP");
    m.paused = true;
  }

  async resume(node: string): Promise<void> {
    const m = this.member(node);
    if (m.exited || !m.process) return;
    m.process.kill("SIGCONT");
    m.paused = false;
  }

  async partition(groups: string[][]): Promise<void> {
    if (!this.options.netns) {
      throw new Error(
        "raft: partitions need a network backend: run with the proxy mesh (whose cuts the controller applies) or construct RaftCluster with { netns }",
      );
    }
    await this.options.netns.partition(groups);
  }

  /** Without a network there is nothing to heal, so the end-of-run heal is a no-op. */
  async heal(): Promise<void> {
    await this.options.netns?.heal();
  }

  async leader(): Promise<string | null> {
    const live = this.members.filter((m) => !m.exited && !m.paused).map((m) => m.spec);
    return leaderOf(await statuses(live))?.id ?? null;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.members.map(async (m) => {
        if (m.exited || !m.process) return;
        m.process.kill("SIGKILL");
        await m.process;
        m.process = null;
        m.exited = true;
      }),
    );
    await Promise.all(this.clients.splice(0).map((c) => c.close()));
    this.unregisterExitHook?.();
    this.unregisterExitHook = null;
  }

  private spawn(m: Member): void {
    const net = this.options.netns;
    const proc = spawnNode(m.spec, {
      detached: false,
      extraArgs: this.options.nodeArgs,
      wrap: net ? (file, args) => net.command(m.spec.id, file, args) : undefined,
    });
    m.process = proc;
    m.exited = false;
    m.paused = false;
    void proc.then(() => {
      if (m.process === proc) m.exited = true;
    });
  }

  /** Throws with the log tail when a node exited without being killed by us. */
  private checkAlive(): void {
    const dead = this.members.find((m) => m.exited && m.process);
    if (dead) throw new Error(`raft: ${dead.spec.id} exited; log tail:\n${logTail(dead.spec.logFile)}`);
  }

  private member(node: string): Member {
    const m = this.members.find((x) => x.spec.id === node);
    if (!m) throw new Error(`raft: unknown node "${node}" (nodes: ${this.members.map((x) => x.spec.id).join(", ") || "none; start() first"})`);
    return m;
  }

  private liveMember(node: string): Member & { process: NodeProcess } {
    const m = this.member(node);
    if (m.exited || !m.process) throw new Error(`raft: ${node} is not running`);
    return m as Member & { process: NodeProcess };
  }
}
