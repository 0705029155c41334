/**
 * A Cluster made of one OS process per node, for kinds that say only how to
 * start a node, how to tell it is ready and how to talk to it: the command kind
 * (a user's nodes from a template) and modules made with defineCluster(). It
 * places the nodes (./plan.ts), wires their peers through the run's network
 * backend, spawns them with the process module, waits for each to be ready
 * with a deadline, and acts on their pids for kill, pause and restart.
 *
 * A node that exits at start, never gets ready, or answers garbage is the
 * user's to fix: start() throws a KindError naming the node, with its log tail,
 * after ending every process it started.
 */
import type { Cluster, ClusterClient, NodeInfo, NodeStatus } from "../cluster.js";
import { KindError, type Wiring } from "../kind.js";
import { leaderOf } from "../api/leader.js";
import type { Probe } from "../api/probe.js";
import { logTail } from "./log-tail.js";
import { type Command, describeExit } from "./node-process.js";
import { answering, type CrashListener, killSlot, type ProcessSlot, pauseSlot, resumeSlot, spawnSlot, stopSlots } from "./slot.js";
import { type NodePlan, planNodes } from "./plan.js";

export interface ManagedNodes {
  /** The kind's name, for messages and Cluster.kind. */
  kind: string;
  /** How to start one node (each start, restarts included). */
  command(node: NodePlan): Command;
  /** One readiness poll. */
  probe(node: NodePlan): Promise<Probe>;
  /** A client bound to one node. */
  client(node: NodePlan): ClusterClient;
  /** Signal asking a node to stop at the end (default SIGTERM; SIGKILL follows after the grace). */
  stopSignal?: NodeJS.Signals;
  /** Bound on start() waiting for every node to be ready. */
  startTimeoutMs?: number;
}

export interface ManagedOptions {
  dir: string;
  ids: readonly string[];
  wiring: Wiring;
}

const START_TIMEOUT_MS_DEFAULT = 30_000;
const RESTART_TIMEOUT_MS = 10_000;
const POLL_MS = 50;
const LEADER_STATUS_TIMEOUT_MS = 1_000;

interface Member extends ProcessSlot {
  plan: NodePlan;
  /** The client leader() asks, made once. */
  control: ClusterClient | null;
}

export class ManagedCluster implements Cluster {
  readonly kind: string;
  private members: Member[] = [];
  private readonly clients: ClusterClient[] = [];
  private started = false;
  private crashListeners: CrashListener[] = [];

  constructor(
    private readonly nodesSpec: ManagedNodes,
    private readonly options: ManagedOptions,
  ) {
    this.kind = nodesSpec.kind;
    if (options.ids.length < 1) throw new Error(`${this.kind}: a cluster needs at least one node`);
  }

  async start(): Promise<void> {
    if (this.started) throw new Error(`${this.kind}: start() called twice`);
    this.started = true;
    const plans = await planNodes(this.options.dir, this.options.ids, this.options.wiring);
    this.members = plans.map((plan) => ({ plan, process: null, paused: false, control: null }));
    try {
      for (const m of this.members) await this.spawn(m);
      await this.waitReady(this.members, this.nodesSpec.startTimeoutMs ?? START_TIMEOUT_MS_DEFAULT);
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  onCrash(listener: (node: string, how: string) => void): void {
    this.crashListeners.push(listener);
  }

  nodes(): NodeInfo[] {
    return this.members.map((m) => ({
      id: m.plan.id,
      pid: m.process?.alive ? m.process.pid : null,
      httpUrl: m.plan.httpUrl,
      peerAddr: m.plan.peerAddr,
    }));
  }

  client(node: string): ClusterClient {
    const client = this.nodesSpec.client(this.member(node).plan);
    this.clients.push(client);
    return client;
  }

  /** SIGKILL; a node already down stays down. */
  async kill(node: string): Promise<void> {
    await killSlot(this.member(node));
  }

  /** Starts a killed node again on its data; returns once it is ready. A running node is left alone. */
  async restart(node: string): Promise<void> {
    const m = this.member(node);
    if (m.process?.alive) return;
    await this.spawn(m);
    await this.waitReady([m], RESTART_TIMEOUT_MS);
  }

  async pause(node: string): Promise<void> {
    await pauseSlot(this.member(node), `${this.kind}: ${node}`);
  }

  async resume(node: string): Promise<void> {
    resumeSlot(this.member(node));
  }

  /** The leader as the live nodes' statuses report it (the highest term's claim), when the nodes offer status. */
  async leader(): Promise<string | null> {
    const live = this.members.filter(answering);
    const all = await Promise.all(live.map((m) => this.statusOf(m)));
    return leaderOf(all)?.id ?? null;
  }

  async stop(): Promise<void> {
    await stopSlots(this.members);
    const clients = [...this.clients.splice(0), ...this.members.flatMap((m) => (m.control ? [m.control] : []))];
    for (const m of this.members) m.control = null;
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
  }

  private async statusOf(m: Member): Promise<NodeStatus | null> {
    m.control ??= this.nodesSpec.client(m.plan);
    const status = m.control.status;
    if (!status) return null;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), LEADER_STATUS_TIMEOUT_MS)));
    try {
      const out = await Promise.race([status.call(m.control), late]);
      return out?.type === "ok" && typeof out.value === "object" && out.value !== null
        ? { ...out.value, id: out.value.id ?? m.plan.id }
        : null;
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private async spawn(m: Member): Promise<void> {
    const wiring = this.options.wiring;
    let command: Command;
    try {
      command = this.nodesSpec.command(m.plan);
    } catch (err) {
      throw new KindError(`${this.kind}: ${m.plan.id}: ${(err as Error).message}`);
    }
    try {
      await spawnSlot(
        m,
        {
          id: m.plan.id,
          command,
          logFile: m.plan.logFile,
          stopSignal: this.nodesSpec.stopSignal,
          wrap: wiring.backend === "netns" ? (c) => ({ ...c, ...wiring.hosts.command(m.plan.id, c.file, c.args) }) : undefined,
        },
        this.crashListeners,
      );
    } catch (err) {
      throw new KindError(`${this.kind}: ${(err as Error).message}`);
    }
  }

  /** Polls every member until each is ready; a dead or garbage-answering node ends the wait at once. */
  private async waitReady(members: Member[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const pending = new Set(members);
    const lastWhy = new Map<Member, string>();
    while (pending.size > 0) {
      for (const m of pending) {
        if (m.process && !m.process.alive) {
          throw new KindError(
            `${this.kind}: node ${m.plan.id} ${describeExit(m.process.exitStatus)} before it was ready; log tail (${m.plan.logFile}):\n${logTail(m.plan.logFile)}`,
          );
        }
      }
      const probes = await Promise.all([...pending].map(async (m) => [m, await this.nodesSpec.probe(m.plan)] as const));
      for (const [m, probe] of probes) {
        if (probe.ready) {
          pending.delete(m);
          continue;
        }
        lastWhy.set(m, probe.why);
        if (probe.fatal)
          throw new KindError(`${this.kind}: node ${m.plan.id} ${probe.why}; log tail (${m.plan.logFile}):\n${logTail(m.plan.logFile)}`);
      }
      if (pending.size === 0) return;
      if (Date.now() > deadline) {
        const m = [...pending][0]!;
        throw new KindError(
          `${this.kind}: node ${m.plan.id} was not ready within ${timeoutMs} ms (last: ${lastWhy.get(m) ?? "no answer"}); log tail (${m.plan.logFile}):\n${logTail(m.plan.logFile)}`,
        );
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private member(node: string): Member {
    const m = this.members.find((x) => x.plan.id === node);
    if (!m)
      throw new Error(
        `${this.kind}: unknown node "${node}" (nodes: ${this.members.map((x) => x.plan.id).join(", ") || "none; start() first"})`,
      );
    return m;
  }
}
