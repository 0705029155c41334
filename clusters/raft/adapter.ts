import { ChangeRefused, type Cluster, type ClusterClient, type NodeInfo, type ReadConsistency } from "../cluster.js";
import type { Wiring } from "../kind.js";
import { logTail } from "../process/log-tail.js";
import { describeExit } from "../process/node-process.js";
import { answering, type CrashListener, killSlot, type ProcessSlot, pauseSlot, resumeSlot, spawnSlot, stopSlots } from "../process/slot.js";
import { ApiClient, CLIENT_TIMEOUT_MS_DEFAULT, type Exchange } from "../api/client.js";
import { leaderOf, servingLeader, statuses, waitForLeader } from "../api/leader.js";
import { changeMembership, settledMembers } from "../api/members.js";
import { nodeCommand, nodeIds, planNodes, writeNodeConfig, type NodeSpec, type Tuning } from "./node/launch.js";
import { rmSync } from "node:fs";

/**
 * Our Raft cluster behind the Cluster seam: one OS process per node, spawned
 * from dist/ through the shared process module (clusters/process/), so every
 * node dies with the controller and logs to DIR/nodes/<id>.log.
 */

export interface RaftClusterOptions {
  /** Run folder: data in DIR/data/<id>, logs in DIR/nodes/<id>.log. */
  dir: string;
  /** Members n1..nN; default 3. With a netns wiring, its hosts are the members. */
  nodes?: number;
  /** How peers reach each other (default: directly on loopback). */
  wiring?: Wiring;
  /** Extra arguments for every node, e.g. ["--bug", "stale-reads"]. */
  nodeArgs?: string[];
  /** Tick, election and heartbeat settings, and the seed of the election timeouts. */
  tuning?: Tuning;
  /** How get() reads when the caller names no consistency. */
  reads?: ReadConsistency;
  /** Sees every client exchange (tob conform). */
  trace?: (exchange: Exchange) => void;
  startTimeoutMs?: number;
  /** A client call with no answer in this long is recorded as info. */
  requestTimeoutMs?: number;
}

/** Ports inside a namespace host, where each node has its own address. */
const NETNS_HTTP_PORT = 7001;
const NETNS_PEER_PORT = 7002;
const START_TIMEOUT_MS_DEFAULT = 15_000;
const RESTART_TIMEOUT_MS = 10_000;
/** A membership change waits this long for a leader to take it and commit it. */
const MEMBERSHIP_TIMEOUT_MS = 10_000;

interface Member extends ProcessSlot {
  spec: NodeSpec;
  /** Removed from the configuration (removeMember): not restarted until added back. */
  removed: boolean;
}

export class RaftCluster implements Cluster {
  readonly kind = "raft";
  private members: Member[] = [];
  private readonly clients: ApiClient[] = [];
  private started = false;
  private crashListeners: CrashListener[] = [];

  constructor(private readonly options: RaftClusterOptions) {
    const wiring = options.wiring;
    const count = wiring?.backend === "netns" ? wiring.hosts.hosts().length : (options.nodes ?? 3);
    if (!Number.isInteger(count) || count < 1) throw new Error(`raft: nodes must be a positive integer, got ${count}`);
    if (wiring?.backend === "netns" && options.nodes !== undefined && options.nodes !== count) {
      throw new Error(`raft: nodes=${options.nodes} but the network has ${count} hosts`);
    }
  }

  async start(): Promise<void> {
    if (this.started) throw new Error("raft: start() called twice");
    this.started = true;
    const wiring = this.options.wiring ?? { backend: "direct" };
    const net = wiring.backend === "netns" ? wiring.hosts : null;
    const ids = net ? net.hosts() : nodeIds(this.options.nodes ?? 3);
    const place = net ? (id: string) => ({ host: net.address(id), httpPort: NETNS_HTTP_PORT, peerPort: NETNS_PEER_PORT }) : undefined;
    const specs = await planNodes(this.options.dir, ids, place);
    for (const spec of specs) writeNodeConfig(spec, specs, this.options.tuning ?? {}, this.dial());
    this.members = specs.map((spec) => ({ spec, process: null, paused: false, removed: false }));
    try {
      for (const m of this.members) await this.spawn(m);
      await waitForLeader(servingLeader(specs), this.options.startTimeoutMs ?? START_TIMEOUT_MS_DEFAULT, () => this.checkAlive());
    } catch (err) {
      const tails = this.members.map((m) => `--- ${m.spec.id} (${m.spec.logFile}):\n${logTail(m.spec.logFile)}`).join("\n");
      await this.stop();
      throw new Error(`raft: cluster did not start: ${(err as Error).message}\n${tails}`);
    }
  }

  onCrash(listener: (node: string, how: string) => void): void {
    this.crashListeners.push(listener);
  }

  nodes(): NodeInfo[] {
    return this.members.map((m) => ({
      id: m.spec.id,
      pid: m.process?.alive ? m.process.pid : null,
      httpUrl: m.spec.httpUrl,
      peerAddr: m.spec.peerAddr,
    }));
  }

  client(node: string): ClusterClient {
    const client = new ApiClient(
      node,
      this.member(node).spec.httpUrl,
      this.options.requestTimeoutMs ?? CLIENT_TIMEOUT_MS_DEFAULT,
      this.options.reads,
      this.options.trace,
    );
    this.clients.push(client);
    return client;
  }

  /** SIGKILL; a node already down stays down. */
  async kill(node: string): Promise<void> {
    await killSlot(this.member(node));
  }

  /** Starts a killed node again on its data; returns once it answers. A running node, or a removed one, is left alone. */
  async restart(node: string): Promise<void> {
    const m = this.member(node);
    if (m.process?.alive || m.removed) return;
    await this.spawnAndWait(m);
  }

  /**
   * Removes `node` from the configuration through the leader (a single-server
   * change), then ends its process: it is no longer part of the cluster. Throws
   * with the leader's reason when the change is refused (e.g. it would lose the
   * quorum), and when its outcome is unknown and stays so.
   */
  async removeMember(node: string): Promise<void> {
    const m = this.member(node);
    const asked = this.members.filter(answering).map((x) => x.spec);
    const r = await changeMembership(asked, { op: "remove", id: node }, MEMBERSHIP_TIMEOUT_MS);
    if (r.kind === "refused" || r.kind === "unavailable") throw new ChangeRefused(`raft: removing ${node}: ${r.kind}: ${r.detail}`);
    if (r.kind !== "ok" && (await this.isVoter(node)) !== false) throw new Error(`raft: removing ${node}: ${r.kind}: ${r.detail}`);
    m.removed = true;
    await this.kill(node);
  }

  /**
   * Adds `node` back as a new, empty member, as Jepsen's membership nemesis
   * does: its data is wiped, it starts knowing no configuration (NodeConfig.join)
   * and catches up from the leader once the leader's log adds it. Wiping a
   * member that still votes would let it forget its votes, so the leader's
   * settled configuration must not hold it.
   */
  async addMember(node: string): Promise<void> {
    const m = this.member(node);
    const others = () => this.members.filter((x) => x !== m && answering(x)).map((x) => x.spec);
    const voter = await this.isVoter(node);
    // An earlier add whose outcome was unknown went through: it is back already.
    if (voter === true && m.process?.alive && !m.removed) return;
    if (voter !== false)
      throw new Error(`raft: not adding ${node}: ${voter ? "it is still a member" : "no leader says whether it is a member"}`);
    await this.kill(node);
    rmSync(m.spec.dataDir, { recursive: true, force: true });
    writeNodeConfig(
      m.spec,
      this.members.map((x) => x.spec),
      this.options.tuning ?? {},
      this.dial(),
      true,
    );
    m.removed = false;
    await this.spawnAndWait(m);
    const r = await changeMembership(others(), { op: "add", id: node, peer: m.spec.peerAddr, http: m.spec.httpUrl }, MEMBERSHIP_TIMEOUT_MS);
    if (r.kind === "refused" || r.kind === "unavailable") throw new ChangeRefused(`raft: adding ${node}: ${r.kind}: ${r.detail}`);
    if (r.kind !== "ok") throw new Error(`raft: adding ${node}: ${r.kind}: ${r.detail}`);
  }

  /** Whether the leader's settled configuration holds `node`; null when no leader answers. */
  private async isVoter(node: string): Promise<boolean | null> {
    const live = this.members.filter(answering).map((x) => x.spec);
    const view = await settledMembers(live, MEMBERSHIP_TIMEOUT_MS);
    return view === null ? null : view.members.some((x) => x.id === node);
  }

  private dial(): ((from: string) => Record<string, string>) | undefined {
    const wiring = this.options.wiring;
    return wiring?.backend === "proxy" ? wiring.dial : undefined;
  }

  private async spawnAndWait(m: Member): Promise<void> {
    const node = m.spec.id;
    await this.spawn(m);
    const deadline = Date.now() + RESTART_TIMEOUT_MS;
    for (;;) {
      this.checkAlive();
      const [s] = await statuses([m.spec]);
      if (s) return;
      if (Date.now() > deadline)
        throw new Error(`raft: ${node} did not answer within ${RESTART_TIMEOUT_MS} ms of restart; log tail:\n${logTail(m.spec.logFile)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async pause(node: string): Promise<void> {
    await pauseSlot(this.member(node), `raft: ${node}`);
  }

  async resume(node: string): Promise<void> {
    resumeSlot(this.member(node));
  }

  async leader(): Promise<string | null> {
    const live = this.members.filter(answering).map((m) => m.spec);
    return leaderOf(await statuses(live))?.id ?? null;
  }

  async stop(): Promise<void> {
    await stopSlots(this.members);
    await Promise.all(this.clients.splice(0).map((c) => c.close()));
  }

  private async spawn(m: Member): Promise<void> {
    const wiring = this.options.wiring;
    await spawnSlot(
      m,
      {
        id: m.spec.id,
        command: nodeCommand(m.spec, this.options.nodeArgs ?? []),
        logFile: m.spec.logFile,
        wrap: wiring?.backend === "netns" ? (c) => ({ ...c, ...wiring.hosts.command(m.spec.id, c.file, c.args) }) : undefined,
      },
      this.crashListeners,
    );
  }

  /** Throws with the log tail when a node exited without being killed by us. */
  private checkAlive(): void {
    const dead = this.members.find((m) => m.process && !m.process.alive);
    if (dead) throw new Error(`raft: ${dead.spec.id} ${describeExit(dead.process!.exitStatus)}; log tail:\n${logTail(dead.spec.logFile)}`);
  }

  private member(node: string): Member {
    const m = this.members.find((x) => x.spec.id === node);
    if (!m)
      throw new Error(`raft: unknown node "${node}" (nodes: ${this.members.map((x) => x.spec.id).join(", ") || "none; start() first"})`);
    return m;
  }
}
