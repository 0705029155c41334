import { seededRng } from "../../../src/rng.js";
import type { Raft } from "../core/raft.js";
import type { ConfigChange, Message, NodeId, Ready } from "../core/types.js";
import type { NodeConfig } from "../node/config.js";
import type { FileIo } from "../node/file-io.js";
import { Replica } from "../node/replica.js";
import type { ReplicaIo } from "../node/replica-io.js";
import { SnapshotCorruptError } from "../node/snapshots.js";
import { WalCorruptError } from "../node/wal.js";
import { ClientLedger, type ClientCounts, type NodeState } from "./clients.js";
import { DurableModel } from "./durable-model.js";
import { DEFAULT_FAULTS, type FaultOptions } from "./faults.js";
import { SafetyChecker } from "./invariants.js";
import { type NetworkCounters, SimNetwork } from "./network.js";
import { type FaultEvent, generateSchedule, nodeIds, type Schedule } from "./schedule.js";
import { type NodeClock, SimClock } from "./sim-clock.js";
import { SimFiles } from "./sim-files.js";
import { nodeBugs, type PlantedBug } from "./sim-bugs.js";

/**
 * A deterministic cluster in one process, running the real node: each node is
 * the `Replica` the node process runs, with its write-ahead log, snapshot store
 * and state machine, over a simulated disk (torn writes, lost unsynced writes,
 * corrupt sectors), a lossy reordering network and a virtual clock. Clients
 * write and read through it. Checked after every step: the core's safety
 * properties, that a restarted node kept what it synced, that a 503 is never
 * applied, that a read sees every write acknowledged before it; at the end, on
 * the healed cluster, that no acknowledged write was lost and no session write
 * applied twice. Membership changes are schedule events: a voter is removed
 * through the leader, wiped, and added back empty. A run is fixed by its seed
 * and its fault schedule.
 */

export interface SimulationOptions {
  seed: number;
  schedule: Schedule;
  /** Chance per step that a client request is issued in the faulty phase. */
  requestRate: number;
  /** Of the client requests, the share that are linearizable reads. */
  readShare: number;
  /** Of the writes, the share sent by session clients, which retry a 504 under the same sequence number. */
  sessionShare: number;
  /** Steps allowed for the healed cluster to converge and every request to be answered. */
  healStepsMax: number;
  node: Pick<
    NodeConfig,
    | "electionTicks"
    | "heartbeatTicks"
    | "maxInflightMsgs"
    | "maxEntriesPerMsg"
    | "snapshotEntries"
    | "snapshotKeepEntries"
    | "walSegmentBytes"
  >;
  /** Planted bugs (../node/bugs.ts, ./sim-bugs.ts), to show the simulator catches them. */
  bugs: PlantedBug[];
}

/** What callers pass: a seed, and either a schedule or what to draw one from. */
export interface SimulationInput {
  seed: number;
  schedule?: Schedule;
  nodes?: number;
  steps?: number;
  faults?: Partial<FaultOptions>;
  requestRate?: number;
  readShare?: number;
  sessionShare?: number;
  healStepsMax?: number;
  node?: Partial<SimulationOptions["node"]>;
  bugs?: PlantedBug[];
  /** Receives the nodes' log lines and the faults as they happen, each with its step (for replaying a failure). */
  trace?: (line: string) => void;
}

export const DEFAULT_NODE: SimulationOptions["node"] = {
  electionTicks: 10,
  heartbeatTicks: 2,
  maxInflightMsgs: 8,
  maxEntriesPerMsg: 16,
  // Small, so a run of a few hundred writes snapshots, compacts, rolls segments and installs snapshots.
  snapshotEntries: 60,
  snapshotKeepEntries: 2,
  walSegmentBytes: 4096,
};

const TICK_MS = 10;
/** A crash keeps each unsynced sector with this chance: torn writes, not only lost ones. */
const KEEP_UNSYNCED_CHANCE = 0.5;
/** A power cut armed for a node's next sync that no sync reaches in this many steps becomes a plain crash. */
const POWERCUT_WAIT_STEPS_MAX = 50;
/** Session clients at once; each has one write in flight, as sequence numbers require. */
const SESSION_CLIENTS = 3;
/** Tries of one session write (the first and its retries) before its outcome stays unknown. */
const SESSION_TRIES_MAX = 4;
/** A session client waits this many steps before retrying. */
const RETRY_WAIT_STEPS = 5;
/** A membership change refused or unanswered is proposed again after this many steps. */
const CHANGE_RETRY_STEPS = 10;

export interface SimulationSummary {
  seed: number;
  nodes: number;
  steps: number;
  /** Distinct terms that had a leader. */
  elections: number;
  clients: ClientCounts;
  /** Entries known committed (the highest commit index any node reached). */
  committed: number;
  faults: {
    crashes: number;
    powercuts: number;
    corruptions: number;
    refusedToStart: number;
    partitions: number;
    /** Voters removed (committed) and wiped; added back (committed); changes the leader refused or could not take. */
    removed: number;
    added: number;
    changesRefused: number;
  } & NetworkCounters;
  /** After healing, every node that could start holds and applied the same log under one leader, and every request was answered. */
  converged: boolean;
  /** Empty when every check passed; otherwise the first few, each with its step. */
  violations: string[];
  violationCount: number;
}

interface SimNode {
  id: NodeId;
  index: number;
  files: SimFiles;
  durable: DurableModel;
  replica: Replica | null;
  clock: NodeClock | null;
  inbox: ((m: Message) => void) | null;
  /** Client requests waiting on this incarnation; a crash leaves their outcome unknown. */
  pending: number;
  incarnation: number;
  restartStep: number;
  /** Set when the node refused to start on a damaged disk: it stays down, as an operator would leave it. */
  refused: string | null;
  /** A sector was corrupted since the node last started. */
  corrupted: boolean;
  /** A power cut waits for the node's next sync: [restart delay, the step it gives up waiting]. */
  powercut: { downSteps: number; untilStep: number } | null;
  /**
   * Membership: a voter; being removed; removed and wiped, down until `restartStep`;
   * started empty and waiting to be added back.
   */
  phase: "member" | "removing" | "out" | "joining";
  /** Steps it stays wiped and down once its removal commits. */
  outSteps: number;
  /** Its disk was wiped: it starts with no configuration and learns one from the log. */
  joiner: boolean;
  wipes: number;
}

/** A simulated client with a session: one write at a time, retried after an unknown outcome. */
interface SessionClient {
  id: string | null;
  seq: number;
  /** The try under way: the node and the incarnation holding it. */
  inflight: { node: SimNode; incarnation: number } | null;
  write: { key: string; value: string; tries: number; retryStep: number | null } | null;
}

export class Simulation {
  readonly opts: SimulationOptions;
  private readonly checker = new SafetyChecker();
  private readonly ledger = new ClientLedger(this.checker);
  private readonly world = new SimClock();
  private readonly net: SimNetwork;
  private readonly nodes: SimNode[];
  /** Streams of their own, so dropping a fault from the schedule leaves the clients' choices mostly alone. */
  private readonly clientRng: () => number;
  private readonly diskRng: () => number;
  private events: FaultEvent[];
  private stepCount = 0;
  private partitionHealStep = 0;
  private faultsOn = true;
  private requestSeq = 0;
  private pendingRequests = 0;
  private readonly trace: (line: string) => void;
  private readonly counts = {
    crashes: 0,
    powercuts: 0,
    corruptions: 0,
    refusedToStart: 0,
    partitions: 0,
    removed: 0,
    added: 0,
    changesRefused: 0,
  };
  private readonly sessions: SessionClient[];
  /** The membership change under way: the leader holding it; the next step one may be proposed. */
  private change: { node: SimNode; incarnation: number } | null = null;
  private changeStep = 0;

  constructor(input: SimulationInput) {
    const faults = { ...DEFAULT_FAULTS, ...input.faults };
    const schedule = input.schedule ?? generateSchedule(input.seed, input.nodes ?? 5, input.steps ?? 1000, faults);
    this.opts = {
      seed: input.seed,
      schedule,
      requestRate: input.requestRate ?? 0.5,
      readShare: input.readShare ?? 0.2,
      sessionShare: input.sessionShare ?? 0.2,
      healStepsMax: input.healStepsMax ?? 2000,
      node: { ...DEFAULT_NODE, ...input.node },
      bugs: input.bugs ?? [],
    };
    if (!Number.isInteger(schedule.nodes) || schedule.nodes < 1) throw new Error(`nodes must be a positive integer, got ${schedule.nodes}`);
    this.trace = input.trace ?? (() => {});
    this.events = [...schedule.events].sort((a, b) => a.at - b.at);
    this.clientRng = seededRng((input.seed * 2654435761) >>> 0);
    this.diskRng = seededRng((input.seed ^ 0x3c6ef372) >>> 0);
    this.net = new SimNetwork(seededRng((input.seed ^ 0x5bd1e995) >>> 0), schedule.net);
    this.nodes = nodeIds(schedule.nodes).map((id, index) => ({
      id,
      index,
      files: new SimFiles(seededRng((input.seed * 31 + index * 7919) >>> 0)),
      durable: new DurableModel(),
      replica: null,
      clock: null,
      inbox: null,
      incarnation: 0,
      restartStep: 0,
      refused: null,
      corrupted: false,
      powercut: null,
      pending: 0,
      phase: "member",
      outSteps: 0,
      joiner: false,
      wipes: 0,
    }));
    this.sessions = Array.from({ length: SESSION_CLIENTS }, () => ({ id: null, seq: 0, inflight: null, write: null }));
  }

  get steps(): number {
    return this.stepCount;
  }

  ok(): boolean {
    return this.checker.violationCount === 0;
  }

  /** Runs the faulty phase, then heals everything and waits for convergence; checks that no acknowledged write was lost. */
  async runToEnd(): Promise<SimulationSummary> {
    while (this.stepCount < this.opts.schedule.steps && this.ok()) await this.step();
    this.heal();
    let converged = false;
    for (let i = 0; i < this.opts.healStepsMax && this.ok() && !converged; i++) {
      await this.step();
      converged = this.converged();
    }
    for (const n of this.nodes) {
      if (!n.replica) continue;
      const state = stateOf(n.replica);
      this.ledger.checkAppliedAtMostOnce(n.id, state);
      if (converged) this.ledger.checkNoAckedWriteLost(n.id, state);
    }
    return this.summary(converged);
  }

  /** One step of the whole world: faults, restarts, clocks, deliveries, a client, the nodes' turns, checks. */
  async step(): Promise<void> {
    if (this.stepCount === 0) for (const node of this.nodes) this.start(node);
    this.stepCount++;
    this.checker.step = this.stepCount;
    try {
      if (this.faultsOn) this.injectFaults();
      this.restartDue();
      this.membershipTurn();
      this.sessionTurn();
      this.world.advance(TICK_MS);
      for (const m of this.net.takeDue(this.stepCount)) this.nodes.find((n) => n.id === m.to)?.inbox?.(m);
      if (this.faultsOn && this.clientRng() < this.opts.requestRate) this.clientRequest();
      await this.world.runTurns();
      this.check();
    } catch (err) {
      // A core assertion is a safety bug found: report it with the step, like any violation.
      this.checker.fail(`threw: ${(err as Error).stack ?? String(err)}`);
    }
  }

  /** Ends all faults: heals the network, restores power, restarts every node that can start. */
  heal(): void {
    this.faultsOn = false;
    this.net.heal();
    this.net.setFaults({ dropRate: 0, duplicateRate: 0, delayTicksMax: this.opts.schedule.net.delayTicksMax });
    for (const node of this.nodes) {
      if (node.powercut) {
        node.powercut = null;
        node.files.restorePower();
      }
      if (node.replica === null) node.restartStep = this.stepCount;
      if (node.phase === "out") node.outSteps = 0;
    }
  }

  summary(converged: boolean): SimulationSummary {
    return {
      seed: this.opts.seed,
      nodes: this.opts.schedule.nodes,
      steps: this.stepCount,
      elections: this.checker.leaderTerms(),
      clients: this.ledger.counts(),
      committed: this.checker.committedIndex(),
      faults: { ...this.counts, ...this.net.counters },
      converged,
      violations: [...this.checker.violations],
      violationCount: this.checker.violationCount,
    };
  }

  /** One leader; every node that could start is up, holding the leader's whole log as committed and applied; no request waits. */
  converged(): boolean {
    if (this.pendingRequests > 0 || this.sessions.some((c) => c.write !== null)) return false;
    if (this.nodes.some((n) => n.phase !== "member")) return false;
    const up = this.nodes.filter((n) => n.refused === null);
    if (up.some((n) => n.replica === null)) return false;
    const statuses = up.map((n) => (n.replica as Replica).core.status());
    const leaders = statuses.filter((s) => s.role === "leader");
    if (leaders.length !== 1) return false;
    const last = (leaders[0] as (typeof statuses)[number]).lastIndex;
    return statuses.every((s) => s.commitIndex === last && s.appliedIndex === last && s.lastIndex === last);
  }

  private injectFaults(): void {
    while (this.events.length > 0 && (this.events[0] as FaultEvent).at <= this.stepCount) {
      const e = this.events.shift() as FaultEvent;
      if (e.kind === "partition") {
        this.net.partition(e.groups);
        this.partitionHealStep = this.stepCount + e.steps;
        this.counts.partitions++;
        continue;
      }
      const node = this.nodes.find((n) => n.id === e.node) as SimNode;
      if (e.kind === "crash" && node.replica) this.powerLoss(node, e.downSteps);
      if (e.kind === "powercut" && node.replica && !node.powercut) {
        node.powercut = { downSteps: e.downSteps, untilStep: this.stepCount + POWERCUT_WAIT_STEPS_MAX };
        node.files.cutPowerAtNextSync();
      }
      if (e.kind === "corrupt") this.corrupt(node, e.downSteps);
      if (e.kind === "rejoin") this.startRejoin(node, e.downSteps);
    }
    if (this.net.isPartitioned() && this.stepCount >= this.partitionHealStep) this.net.heal();
    for (const node of this.nodes) {
      if (node.powercut && node.powercut.untilStep <= this.stepCount) {
        // No write came: the power goes anyway, between writes.
        node.files.restorePower();
        this.powerLoss(node, node.powercut.downSteps);
      }
    }
  }

  /**
   * Power off (if on) and one durable sector damaged. A node may refuse to start
   * on it, for good, so damage stops short of the nodes a quorum needs.
   */
  private corrupt(node: SimNode, downSteps: number): void {
    if (node.refused !== null || node.corrupted || node.phase !== "member" || !this.mayLose(node)) return;
    if (node.replica) this.powerLoss(node, downSteps);
    const files = node.files.paths();
    if (files.length === 0) return;
    const victim = files[Math.floor(this.diskRng() * files.length)] as string;
    if (node.files.corruptSector(victim) === null) return;
    node.corrupted = true;
    this.trace(`step ${this.stepCount} ${node.id} corrupted a sector of ${victim}`);
    this.counts.corruptions++;
  }

  /** Whether `node` may be damaged or taken out too: the others so affected stay fewer than a quorum needs spared. */
  private mayLose(node: SimNode): boolean {
    const others = this.nodes.filter((n) => n !== node && (n.refused !== null || n.corrupted || n.phase !== "member")).length;
    return others + 1 <= Math.floor((this.nodes.length - 1) / 2);
  }

  /**
   * A rejoin event: the voter is to be removed through the leader (membershipTurn
   * does it), then wiped and added back. One node at a time, and only while the
   * cluster can spare it. With the rejoin-without-remove bug, the operator skips the
   * removal: the voter is wiped and restarts as a voter.
   */
  private startRejoin(node: SimNode, downSteps: number): void {
    if (node.phase !== "member" || this.nodes.some((n) => n.phase !== "member") || !this.mayLose(node)) return;
    if (this.opts.bugs.includes("rejoin-without-remove")) {
      this.wipe(node, downSteps);
      return;
    }
    node.phase = "removing";
    node.outSteps = downSteps;
    this.trace(`step ${this.stepCount} ${node.id} to be removed and added back`);
  }

  /** The node's process is stopped and its disk replaced by an empty one. */
  private wipe(node: SimNode, downSteps: number): void {
    this.trace(`step ${this.stepCount} ${node.id} wiped; back empty in ${downSteps} steps`);
    if (node.replica) this.powerLoss(node, downSteps, false);
    node.wipes++;
    node.files = new SimFiles(seededRng((this.opts.seed * 31 + node.index * 7919 + node.wipes * 65_537) >>> 0));
    node.durable = new DurableModel();
    node.refused = null;
    node.corrupted = false;
    node.restartStep = this.stepCount + downSteps;
  }

  /** The leader of the highest term among the live nodes, if any. */
  private leader(): SimNode | null {
    let best: SimNode | null = null;
    for (const n of this.nodes) {
      if (n.replica?.role !== "leader") continue;
      if (best === null || n.replica.core.status().term > (best.replica as Replica).core.status().term) best = n;
    }
    return best;
  }

  /**
   * Drives the node being removed or added back, one change at a time, reading the
   * leader's committed configuration (an answer may be lost with its leader): removed
   * means wiped and down; started empty means proposed for adding until it is a voter.
   */
  private membershipTurn(): void {
    const node = this.nodes.find((n) => n.phase !== "member");
    if (node === undefined) return;
    if (node.phase === "out") {
      if (node.restartStep > this.stepCount) return;
      node.joiner = true;
      node.phase = "joining";
      this.start(node);
      return;
    }
    if (this.change !== null && this.change.node.incarnation === this.change.incarnation && this.change.node.replica) return;
    this.change = null;
    const leader = this.leader();
    if (leader === null) return;
    const s = (leader.replica as Replica).core.status();
    if (s.configIndex > s.commitIndex) return;
    const voter = s.config.voters.includes(node.id);
    if (node.phase === "removing" && !voter) {
      this.counts.removed++;
      node.phase = "out";
      this.wipe(node, node.outSteps);
      return;
    }
    if (node.phase === "joining" && voter) {
      this.counts.added++;
      node.phase = "member";
      return;
    }
    if (this.changeStep > this.stepCount) return;
    this.changeStep = this.stepCount + CHANGE_RETRY_STEPS;
    const change: ConfigChange = node.phase === "removing" ? { op: "remove", id: node.id } : { op: "add", id: node.id };
    this.change = { node: leader, incarnation: leader.incarnation };
    const held = this.change;
    void (leader.replica as Replica).changeMembership(change).then((o) => {
      if (this.change === held) this.change = null;
      if (o.kind === "refused" || o.kind === "unavailable") this.counts.changesRefused++;
    });
  }

  /** The node's process dies with the power: memory gone, unsynced writes lost or torn. A wipe is not counted as a crash. */
  private powerLoss(node: SimNode, downSteps: number, crash = true): void {
    this.trace(`step ${this.stepCount} ${node.id} power lost; back in ${downSteps} steps`);
    node.replica?.close();
    node.clock?.cancel();
    node.replica = null;
    node.clock = null;
    node.inbox = null;
    node.powercut = null;
    node.files.crash(KEEP_UNSYNCED_CHANCE);
    this.pendingRequests -= node.pending;
    node.pending = 0;
    node.restartStep = this.stepCount + downSteps;
    this.net.dropTo(node.id);
    this.ledger.abandon(node.id);
    if (crash) this.counts.crashes++;
  }

  private restartDue(): void {
    for (const node of this.nodes) {
      if (node.replica === null && node.refused === null && node.phase !== "out" && node.restartStep <= this.stepCount) this.start(node);
    }
  }

  private start(node: SimNode): void {
    node.incarnation++;
    const clock = this.world.forNode();
    const incarnation = node.incarnation;
    const io: ReplicaIo = {
      files: fenced(node.files, () => !clock.cancelled),
      walDir: `/sim/${node.id}/wal`,
      snapDir: `/sim/${node.id}/snap`,
      clock,
      preallocate: false,
      network: (onMessage) => {
        node.inbox = onMessage;
        return { start: async () => {}, send: (m) => this.net.send(m, this.stepCount), flush: () => {}, close: () => {} };
      },
      fatal: (err) => this.fatal(node, incarnation, err),
      diskTurn: () => this.diskTurn(clock),
      probe: {
        ready: (rd, raft) => this.observeReady(node.id, rd, raft),
        writing: (rd) => node.durable.writing(rd),
        persisted: (rd) => node.durable.persisted(rd),
      },
    };
    const peers: NodeConfig["peers"] = {};
    for (const n of this.nodes) if (n !== node) peers[n.id] = { dial: `sim:${n.id}`, http: `sim:${n.id}` };
    const cfg: NodeConfig = {
      ...this.opts.node,
      id: node.id,
      dataDir: `/sim/${node.id}`,
      httpHost: "sim",
      httpPort: 0,
      peerListen: "sim:0",
      peers,
      tickMs: TICK_MS,
      seed: (this.opts.seed * 1_000_003 + node.index * 7919 + incarnation * 104_729) >>> 0,
      bugs: nodeBugs(this.opts.bugs),
      join: node.joiner,
    };
    let replica: Replica;
    try {
      replica = new Replica(cfg, (level, message) => this.trace(`step ${this.stepCount} ${node.id} ${level} ${message}`), io);
    } catch (err) {
      clock.cancel();
      node.inbox = null;
      if (!(err instanceof WalCorruptError || err instanceof SnapshotCorruptError)) throw err;
      if (!node.corrupted) this.checker.fail(`${node.id} refused to start on a disk that was never corrupted: ${err.message}`);
      node.refused = err.message;
      this.counts.refusedToStart++;
      return;
    }
    node.corrupted = false;
    node.replica = replica;
    node.clock = clock;
    const status = replica.core.status();
    node.durable.restarted(node.id, status, (i) => replica.core.entryAt(i), this.checker);
    this.checker.observeRestart(node.id, status.snapshotIndex);
    void replica.start();
  }

  private diskTurn(clock: NodeClock): Promise<void> {
    if (!this.faultsOn || this.opts.schedule.diskDelayTicksMax === 0) return Promise.resolve();
    const ticks = Math.floor(this.diskRng() * (this.opts.schedule.diskDelayTicksMax + 1));
    return ticks === 0 ? Promise.resolve() : clock.after(ticks * TICK_MS);
  }

  /** The Ready loop stopped: a power cut inside a sync is the fault we planted; anything else is a bug found. */
  private fatal(node: SimNode, incarnation: number, err: unknown): void {
    if (node.incarnation !== incarnation || node.replica === null) return;
    const message = (err as Error).message ?? String(err);
    if (node.powercut && message.includes("power lost")) {
      this.counts.powercuts++;
      this.powerLoss(node, node.powercut.downSteps);
      return;
    }
    this.checker.fail(`${node.id}'s Ready loop stopped: ${(err as Error).stack ?? message}`);
    this.powerLoss(node, 1);
  }

  private observeReady(id: NodeId, rd: Ready, raft: Raft): void {
    const first = rd.entries[0];
    if (first !== undefined) {
      const prevTerm = first.index === 1 ? 0 : raft.entryAt(first.index - 1)?.term;
      this.checker.observeEntries(id, rd.entries, prevTerm);
    }
    if (rd.snapshot) this.checker.observeRestart(id, rd.snapshot.index);
    this.checker.observeApplied(id, raft.status().term, rd.committed);
    this.ledger.observeApplied(id, rd.committed);
  }

  private clientRequest(): void {
    this.requestSeq++;
    const node = this.pickNode();
    if (node === null) return;
    const replica = node.replica as Replica;
    if (this.clientRng() < this.opts.readShare) {
      const key = this.ledger.ackedKey(this.clientRng);
      const answered = this.track(node);
      void replica.linearizableRead().then((o) => {
        if (!answered()) return this.ledger.readFailed("info");
        if (o.kind === "ready") {
          if (key !== null) this.ledger.observeRead(node.id, key, replica.sm.get(key));
        } else this.ledger.readFailed(o.kind === "unavailable" ? "fail" : "info");
      });
      return;
    }
    if (this.clientRng() < this.opts.sessionShare) {
      this.sessionWrite(node);
      return;
    }
    const { key, value } = this.ledger.issueWrite(this.requestSeq, node.id);
    const answered = this.track(node);
    void replica.propose({ op: "put", key, value }).then((o) => {
      if (!answered()) return;
      this.ledger.resolveWrite(key, o.kind === "applied" ? "ok" : o.kind === "unavailable" ? "fail" : "info");
    });
  }

  /** Clients mostly find the leader, sometimes ask a random live node; null when none is up. */
  private pickNode(): SimNode | null {
    const live = this.nodes.filter((n) => n.replica !== null);
    if (live.length === 0) return null;
    const leaders = live.filter((n) => n.replica?.role === "leader");
    const pick = <T>(items: T[]): T => items[Math.floor(this.clientRng() * items.length)] as T;
    return leaders.length > 0 && this.clientRng() < 0.9 ? pick(leaders) : pick(live);
  }

  /** Counts a request waiting on `node`; the returned call says, once answered, whether the incarnation that took it still lives. */
  private track(node: SimNode): () => boolean {
    const incarnation = node.incarnation;
    this.pendingRequests++;
    node.pending++;
    return () => {
      if (node.incarnation !== incarnation || node.replica === null) return false;
      this.pendingRequests--;
      node.pending--;
      return true;
    };
  }

  /** A free session client registers, or sends its next write: an append of its own number to a list of its own. */
  private sessionWrite(node: SimNode): void {
    const client = this.sessions.find((c) => c.inflight === null && c.write === null);
    if (client === undefined) return;
    if (client.id === null) {
      const answered = this.track(node);
      client.inflight = { node, incarnation: node.incarnation };
      void (node.replica as Replica).propose({ op: "register" }).then((o) => {
        if (!answered()) return;
        client.inflight = null;
        if (o.kind === "applied" && o.result.op === "register") client.id = o.result.client;
      });
      return;
    }
    client.seq++;
    const { key, value } = this.ledger.issueWrite(this.requestSeq, node.id, "append");
    client.write = { key, value, tries: 0, retryStep: null };
    this.sendSessionWrite(client, node);
  }

  private sendSessionWrite(client: SessionClient, node: SimNode): void {
    const write = client.write as NonNullable<SessionClient["write"]>;
    write.tries++;
    write.retryStep = null;
    const answered = this.track(node);
    client.inflight = { node, incarnation: node.incarnation };
    const tag = { client: client.id as string, seq: client.seq };
    const cmd = { op: "txn" as const, ops: [["append", write.key, Number(write.value)] as ["append", string, number]] };
    void (node.replica as Replica).propose(cmd, tag).then((o) => {
      if (!answered()) return;
      client.inflight = null;
      // A session refusal (unknown or expired session) means this try was not applied.
      const applied = o.kind === "applied" && o.result.op !== "session";
      const unknown = o.kind === "timeout";
      this.ledger.resolveWrite(write.key, applied ? "ok" : unknown ? "info" : "fail");
      this.afterTry(client);
    });
  }

  /** After a try: done if its outcome is known, else a retry is due (until the tries run out). */
  private afterTry(client: SessionClient): void {
    const write = client.write as NonNullable<SessionClient["write"]>;
    if (this.ledger.outcomeOf(write.key) !== "info" || write.tries >= SESSION_TRIES_MAX) client.write = null;
    else write.retryStep = this.stepCount + RETRY_WAIT_STEPS;
  }

  /** Session clients whose node died holding their try, and retries that are due (healing included). */
  private sessionTurn(): void {
    for (const client of this.sessions) {
      const held = client.inflight;
      if (held !== null && (held.node.incarnation !== held.incarnation || held.node.replica === null)) {
        // The node died with the try: its outcome is unknown (the ledger's abandon marked it).
        client.inflight = null;
        if (client.write !== null) this.afterTry(client);
      }
      const write = client.write;
      if (client.inflight !== null || write === null || write.retryStep === null || write.retryStep > this.stepCount) continue;
      const node = this.pickNode();
      if (node === null) continue;
      // The planted client bug: a retry under a new sequence number is a new write to the node.
      if (this.opts.bugs.includes("retry-new-seq")) client.seq++;
      this.ledger.retryWrite(write.key, node.id);
      this.sendSessionWrite(client, node);
    }
  }

  private check(): void {
    const leaders = [];
    for (const node of this.nodes) {
      const core = node.replica?.core;
      if (!core) continue;
      const s = core.status();
      this.checker.observeCommit(node.id, s.term, s.commitIndex, (i) => core.entryAt(i), s.snapshotIndex);
      if (s.role === "leader")
        leaders.push({ id: node.id, term: s.term, log: (i: number) => core.entryAt(i), snapshotIndex: s.snapshotIndex });
    }
    this.checker.observeLeaders(leaders);
  }
}

/** A dead process's file operations fail: nothing it left running may touch the disk after its crash. */
function fenced(files: FileIo, alive: () => boolean): FileIo {
  return new Proxy(files, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (!alive()) throw new Error("EIO: the process is dead (simulated crash)");
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** What the end checks read from a replica's state machine (its lists from a serialized image: read once, at the end). */
function stateOf(replica: Replica): NodeState {
  const lists = new Map<string, number[]>((JSON.parse(replica.sm.snapshot()) as { lists: [string, number[]][] }).lists);
  return { get: (key) => replica.sm.get(key), list: (key) => lists.get(key) };
}

/** Runs one seeded simulation to its end: the faulty phase, then a healed one that must converge. */
export function runSimulation(input: SimulationInput): Promise<SimulationSummary> {
  return new Simulation(input).runToEnd();
}
