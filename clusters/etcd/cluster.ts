import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { NoLeaderError, waitForLeader } from "../api/leader.js";
import type { Cluster, ClusterClient, NodeInfo } from "../cluster.js";
import type { NetnsHosts } from "../kind.js";
import { logTail } from "../process/log-tail.js";
import { describeExit } from "../process/node-process.js";
import { answering, killSlot, type ProcessSlot, pauseSlot, resumeSlot, spawnSlot, stopSlots } from "../process/slot.js";
import { accepts, freePort } from "../process/ports.js";
import { etcdVersion } from "./binary.js";
import { EtcdClient, type EtcdReads } from "./client.js";
import { etcdArgs, type MemberSpec } from "./flags.js";
import { Gateway } from "./gateway.js";
import { memberStatus } from "./status.js";

export interface EtcdClusterOptions {
  /** Run folder: logs go to nodes/<id>.log, data to nodes/<id>.etcd/. */
  dir: string;
  /** Member count on loopback (default 3). With a network, its hosts are the members. */
  nodes?: number;
  /** How get() reads by default: "linearizable" (ReadIndex) or "serializable" (local). */
  reads?: EtcdReads;
  heartbeatMs?: number;
  electionMs?: number;
  /** Run each member inside its host of this (already set up) network, whose faults then reach etcd's peer traffic. */
  network?: NetnsHosts;
  /** The etcd binary (default "etcd" on PATH). */
  binary?: string;
  /** Bound on start() waiting for a leader. */
  startTimeoutMs?: number;
  /** Bound on each client request before it ends as unknown. */
  requestTimeoutMs?: number;
}

interface Member extends ProcessSlot {
  spec: MemberSpec;
  host: string;
  clientPort: number;
  peerPort: number;
  logPath: string;
  /** The cluster's own line to the member, for leader() and readiness. */
  control: Gateway;
  /** etcd's id for this member, learned from its status. */
  memberId: string | null;
}

const NETNS_CLIENT_PORT = 2379;
const NETNS_PEER_PORT = 2380;
const POLL_MS = 100;
const STATUS_TIMEOUT_MS = 1_000;
const RESTART_LISTEN_TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A real etcd cluster (Debian's etcd-server, 3.4) behind the Cluster seam. On
 * loopback by default; inside network namespaces when given their hosts, whose
 * faults (src/nemesis/netns) then reach it. The caller owns the network's setup
 * and teardown; the members are processes of the shared module
 * (clusters/process/), ended in stop() or at controller exit.
 */
export class EtcdCluster implements Cluster {
  readonly kind = "etcd";
  private readonly members: Member[] = [];
  private readonly clients: EtcdClient[] = [];
  private version: string | null = null;
  private started = false;

  constructor(private readonly options: EtcdClusterOptions) {
    const network = options.network;
    if (network && options.nodes !== undefined && options.nodes !== network.hosts().length) {
      throw new Error(`etcd: nodes=${options.nodes} but the network has ${network.hosts().length} hosts`);
    }
    const count = network ? network.hosts().length : (options.nodes ?? 3);
    if (!Number.isInteger(count) || count < 1) throw new Error(`etcd: nodes must be a positive integer, got ${count}`);
  }

  /** The etcd version found at start(), e.g. "3.4.23". */
  etcdVersion(): string | null {
    return this.version;
  }

  async start(): Promise<void> {
    if (this.started) throw new Error("etcd: start() called twice");
    this.started = true;
    const binary = this.options.binary ?? "etcd";
    this.version = await etcdVersion(binary);
    mkdirSync(join(this.options.dir, "nodes"), { recursive: true });
    await this.planMembers();
    try {
      for (const member of this.members) await this.spawn(member, "new");
      await this.waitForLeader(this.options.startTimeoutMs ?? 30_000);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  nodes(): NodeInfo[] {
    return this.members.map((m) => ({
      id: m.spec.id,
      pid: m.process?.alive ? m.process.pid : null,
      httpUrl: m.spec.clientUrl,
      peerAddr: `${m.host}:${m.peerPort}`,
    }));
  }

  client(node: string): ClusterClient {
    const member = this.member(node);
    const client = new EtcdClient({
      node,
      url: member.spec.clientUrl,
      reads: this.options.reads ?? "linearizable",
      timeoutMs: this.options.requestTimeoutMs ?? 5_000,
      memberName: (id) => this.members.find((m) => m.memberId === id)?.spec.id ?? null,
    });
    this.clients.push(client);
    return client;
  }

  /** SIGKILL. Killing a node that is already down does nothing. */
  async kill(node: string): Promise<void> {
    await killSlot(this.member(node));
  }

  /** Starts a killed node again on the same data dir and flags; returns once it listens. */
  async restart(node: string): Promise<void> {
    const member = this.member(node);
    if (member.process?.alive) throw new Error(`etcd: ${node} is running (pid ${member.process.pid}); kill it before restart`);
    await this.spawn(member, "existing");
    // A member serves clients only after it reaches a quorum, which a partition may
    // forbid; a listening port is what proves the process came up.
    const deadline = Date.now() + RESTART_LISTEN_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!member.process?.alive) break;
      if (await accepts(member.host, member.clientPort, STATUS_TIMEOUT_MS)) return;
      await sleep(POLL_MS);
    }
    throw new Error(`etcd: ${node} did not come back within ${RESTART_LISTEN_TIMEOUT_MS} ms; log tail:\n${logTail(member.logPath)}`);
  }

  async pause(node: string): Promise<void> {
    await pauseSlot(this.member(node), `etcd: ${node}`);
  }

  async resume(node: string): Promise<void> {
    resumeSlot(this.member(node));
  }

  /**
   * The leader as the reachable members report it. Of the answers, the one with
   * the highest term wins: an isolated old leader may still believe in itself.
   */
  async leader(): Promise<string | null> {
    const asked = this.members.filter(answering);
    const statuses = await Promise.all(asked.map((m) => memberStatus(m.control, STATUS_TIMEOUT_MS)));
    let bestTerm = -1;
    let leaderId: string | null = null;
    for (const [i, status] of statuses.entries()) {
      if ("error" in status) continue;
      asked[i]!.memberId = status.memberId;
      if (status.leaderId !== null && status.raftTerm > bestTerm) {
        bestTerm = status.raftTerm;
        leaderId = status.leaderId;
      }
    }
    return this.members.find((m) => leaderId !== null && m.memberId === leaderId)?.spec.id ?? null;
  }

  async stop(): Promise<void> {
    await stopSlots(this.members);
    for (const member of this.members) {
      member.paused = false;
      member.control.close();
    }
    await Promise.all(this.clients.map((c) => c.close()));
    this.clients.length = 0;
  }

  private async planMembers(): Promise<void> {
    const network = this.options.network;
    const ids = network ? network.hosts() : Array.from({ length: this.options.nodes ?? 3 }, (_, i) => `n${i + 1}`);
    const token = `tob-${randomUUID()}`;
    const placed: { id: string; host: string; clientPort: number; peerPort: number }[] = [];
    for (const id of ids) {
      // Each namespace host has its own address, so the standard ports never clash there.
      const host = network ? network.address(id) : "127.0.0.1";
      const clientPort = network ? NETNS_CLIENT_PORT : await freePort(host);
      const peerPort = network ? NETNS_PEER_PORT : await freePort(host);
      placed.push({ id, host, clientPort, peerPort });
    }
    const initialCluster = placed.map((p) => `${p.id}=http://${p.host}:${p.peerPort}`).join(",");
    for (const p of placed) {
      const clientUrl = `http://${p.host}:${p.clientPort}`;
      this.members.push({
        spec: {
          id: p.id,
          dataDir: join(this.options.dir, "nodes", `${p.id}.etcd`),
          clientUrl,
          peerUrl: `http://${p.host}:${p.peerPort}`,
          initialCluster,
          clusterToken: token,
          heartbeatMs: this.options.heartbeatMs ?? 100,
          electionMs: this.options.electionMs ?? 1_000,
        },
        host: p.host,
        clientPort: p.clientPort,
        peerPort: p.peerPort,
        logPath: join(this.options.dir, "nodes", `${p.id}.log`),
        process: null,
        paused: false,
        control: new Gateway(clientUrl, STATUS_TIMEOUT_MS),
        memberId: null,
      });
    }
  }

  private async spawn(member: Member, state: "new" | "existing"): Promise<void> {
    const binary = this.options.binary ?? "etcd";
    const args = etcdArgs(member.spec, state);
    const network = this.options.network;
    await spawnSlot(member, {
      id: member.spec.id,
      command: { file: binary, args },
      logFile: member.logPath,
      wrap: network ? (c) => ({ ...c, ...network.command(member.spec.id, c.file, c.args) }) : undefined,
    });
  }

  private async waitForLeader(timeoutMs: number): Promise<void> {
    // Every member answering (so its etcd id is known) and one of them leading.
    const ready = async () => {
      const leader = await this.leader();
      return leader !== null && this.members.every((m) => m.memberId !== null) ? leader : null;
    };
    const checkAlive = () => {
      const dead = this.members.find((m) => !m.process?.alive);
      if (dead)
        throw new Error(
          `etcd: ${dead.spec.id} ${describeExit(dead.process?.exitStatus ?? null)} during start; log tail:\n${logTail(dead.logPath)}`,
        );
    };
    try {
      await waitForLeader(ready, timeoutMs, checkAlive, POLL_MS);
    } catch (err) {
      if (!(err instanceof NoLeaderError)) throw err;
      const tails = this.members.map((m) => `${m.spec.id}:\n${logTail(m.logPath)}`).join("\n");
      throw new Error(`etcd: ${err.message}; log tails:\n${tails}`);
    }
  }

  private member(node: string): Member {
    const member = this.members.find((m) => m.spec.id === node);
    if (!member)
      throw new Error(`etcd: unknown node "${node}" (nodes: ${this.members.map((m) => m.spec.id).join(", ") || "none; start() first"})`);
    return member;
  }
}
