import { Raft } from "../core/raft.js";
import { seededRng } from "../../../src/rng.js";
import type { NodeId, RaftConfig, Ready } from "../core/types.js";
import { Disk } from "./disk.js";
import { SafetyChecker } from "./invariants.js";
import { DEFAULT_FAULTS, type FaultOptions } from "./faults.js";
import { type NetworkCounters, SimNetwork } from "./network.js";

export interface SimulationOptions {
  seed: number;
  nodes: number;
  /** Client requests (proposals and reads) issued in the faulty phase. */
  ops: number;
  /** Chance per step that a client request is issued. */
  requestRate: number;
  /** Of the client requests, the share that are ReadIndex reads. */
  readShare: number;
  faults: FaultOptions;
  /** Steps allowed for the healed cluster to converge after the faulty phase. */
  healStepsMax: number;
  raft: Pick<RaftConfig, "electionTicks" | "heartbeatTicks" | "preVote" | "checkQuorum" | "maxInflightMsgs" | "maxEntriesPerMsg">;
}

export const DEFAULT_OPTIONS: SimulationOptions = {
  seed: 1,
  nodes: 5,
  ops: 1000,
  requestRate: 0.5,
  readShare: 0.2,
  faults: DEFAULT_FAULTS,
  healStepsMax: 2000,
  raft: { electionTicks: 10, heartbeatTicks: 2, preVote: true, checkQuorum: true, maxInflightMsgs: 8, maxEntriesPerMsg: 16 },
};

/** What callers pass: a seed, and any options to override; faults and Raft settings merge field by field. */
export type SimulationInput = Partial<Omit<SimulationOptions, "faults" | "raft">> & {
  seed: number;
  faults?: Partial<FaultOptions>;
  raft?: Partial<SimulationOptions["raft"]>;
};

/** Readys one node may produce in one step; a node that keeps producing more is livelocked. */
const READIES_PER_STEP_MAX = 8;
/** Steps of the faulty phase at most, whatever the request rate: every run ends. */
const STEPS_PER_OP_MAX = 20;

export interface SimulationSummary {
  seed: number;
  nodes: number;
  steps: number;
  /** Distinct terms that had a leader. */
  elections: number;
  proposals: { issued: number; accepted: number };
  reads: { issued: number; ok: number; failed: number };
  /** Entries known committed (the highest commit index any node reached). */
  committed: number;
  faults: { crashes: number; wipes: number; partitions: number } & NetworkCounters;
  /** After healing, every node holds and applied the same log under one leader. */
  converged: boolean;
  /** Empty when every check passed; otherwise the first few, each with its step. */
  violations: string[];
  violationCount: number;
}

type CrashPoint = "beforePersist" | "afterPersist";

interface SimNode {
  id: NodeId;
  disk: Disk;
  raft: Raft | null;
  restartStep: number;
  incarnation: number;
  crashPoint: CrashPoint | null;
  /** A Ready being written (slow disk): the core keeps stepping meanwhile, as with the node's group commit. */
  writing: { rd: Ready; doneStep: number } | null;
}

/**
 * A deterministic cluster in one process: N Raft cores, a seeded clock (one tick
 * per step), a faulty network and durable disks. A run is fixed by its options;
 * the same seed replays the same run step by step.
 */
export class Simulation {
  private readonly checker = new SafetyChecker();
  private readonly opts: SimulationOptions;
  private readonly rng: () => number;
  private readonly net: SimNetwork;
  private readonly nodes: SimNode[];
  private readonly pendingReads = new Map<string, number>();
  private stepCount = 0;
  private partitionHealStep = 0;
  private faultsOn = true;
  private requestSeq = 0;
  private readonly counts = {
    proposalsIssued: 0,
    proposalsAccepted: 0,
    readsIssued: 0,
    readsOk: 0,
    readsFailed: 0,
    crashes: 0,
    wipes: 0,
    partitions: 0,
  };

  constructor(options: SimulationInput) {
    this.opts = {
      ...DEFAULT_OPTIONS,
      ...options,
      faults: { ...DEFAULT_FAULTS, ...options.faults },
      raft: { ...DEFAULT_OPTIONS.raft, ...options.raft },
    };
    if (!Number.isInteger(this.opts.nodes) || this.opts.nodes < 1)
      throw new Error(`nodes must be a positive integer, got ${this.opts.nodes}`);
    this.rng = seededRng(this.opts.seed);
    this.net = new SimNetwork(seededRng(this.opts.seed ^ 0x5bd1e995), this.opts.faults);
    this.nodes = [];
    for (let i = 1; i <= this.opts.nodes; i++) {
      this.nodes.push({ id: `n${i}`, disk: new Disk(), raft: null, restartStep: 0, incarnation: 0, crashPoint: null, writing: null });
    }
    for (const node of this.nodes) this.start(node);
  }

  get steps(): number {
    return this.stepCount;
  }

  /** Runs the faulty phase, then heals everything and waits for convergence. */
  runToEnd(): SimulationSummary {
    const stepsMax = Math.max(1, this.opts.ops) * STEPS_PER_OP_MAX;
    while (this.requestSeq < this.opts.ops && this.stepCount < stepsMax && this.ok()) this.step();
    this.heal();
    let converged = false;
    for (let i = 0; i < this.opts.healStepsMax && this.ok() && !converged; i++) {
      this.step();
      converged = this.converged();
    }
    return this.summary(converged);
  }

  /** Runs `steps` steps (or until a violation). */
  run(steps: number): void {
    for (let i = 0; i < steps && this.ok(); i++) this.step();
  }

  ok(): boolean {
    return this.checker.violationCount === 0;
  }

  /** One tick of the whole world: faults, clocks, deliveries, clients, Readys, checks. */
  step(): void {
    this.stepCount++;
    this.checker.step = this.stepCount;
    try {
      if (this.faultsOn) this.injectFaults();
      this.restartDue();
      for (const node of this.nodes) node.raft?.tick();
      for (const m of this.net.takeDue(this.stepCount)) this.nodes.find((n) => n.id === m.to)?.raft?.step(m);
      if (this.faultsOn && this.requestSeq < this.opts.ops && this.rng() < this.opts.requestRate) this.clientRequest();
      for (const node of this.nodes) this.processReadies(node);
      this.check();
    } catch (err) {
      // A core assertion is a safety bug found: report it with the step, like any violation.
      this.checker.violationCount++;
      this.checker.violations.push(`step ${this.stepCount}: core threw: ${(err as Error).message}`);
    }
  }

  /** Ends all faults: heals the network, restarts every node, stops losing messages. */
  heal(): void {
    this.faultsOn = false;
    this.net.heal();
    this.net.setFaults({ dropRate: 0, duplicateRate: 0, delayTicksMax: this.opts.faults.delayTicksMax });
    for (const node of this.nodes) if (node.raft === null) node.restartStep = this.stepCount;
  }

  summary(converged: boolean): SimulationSummary {
    const c = this.counts;
    return {
      seed: this.opts.seed,
      nodes: this.opts.nodes,
      steps: this.stepCount,
      elections: this.checker.leaderTerms(),
      proposals: { issued: c.proposalsIssued, accepted: c.proposalsAccepted },
      reads: { issued: c.readsIssued, ok: c.readsOk, failed: c.readsFailed },
      committed: this.checker.committedIndex(),
      faults: { crashes: c.crashes, wipes: c.wipes, partitions: c.partitions, ...this.net.counters },
      converged,
      violations: [...this.checker.violations],
      violationCount: this.checker.violationCount,
    };
  }

  /** One leader; every node up, holding the leader's whole log as committed and applied. */
  converged(): boolean {
    const live = this.nodes.map((n) => n.raft);
    if (live.some((r) => r === null)) return false;
    const statuses = live.map((r) => (r as Raft).status());
    const leaders = statuses.filter((s) => s.role === "leader");
    if (leaders.length !== 1) return false;
    const last = (leaders[0] as (typeof statuses)[number]).lastIndex;
    return statuses.every((s) => s.commitIndex === last && s.appliedIndex === last && s.lastIndex === last);
  }

  private pick<T>(items: T[]): T {
    return items[Math.floor(this.rng() * items.length)] as T;
  }

  private injectFaults(): void {
    const f = this.opts.faults;
    if (this.rng() < f.crashRate) {
      const live = this.nodes.filter((n) => n.raft !== null && n.crashPoint === null);
      if (live.length > 0) {
        const node = this.pick(live);
        const point = this.rng();
        // A third crash now; the rest mid-Ready, before or after the disk write.
        if (point < 1 / 3) this.crash(node);
        else node.crashPoint = point < 2 / 3 ? "beforePersist" : "afterPersist";
      }
    }
    if (this.net.isPartitioned()) {
      if (this.stepCount >= this.partitionHealStep) this.net.heal();
    } else if (this.rng() < f.partitionRate && this.nodes.length > 1) {
      this.net.partition(this.randomGroups());
      this.partitionHealStep = this.stepCount + 1 + Math.floor(this.rng() * f.partitionTicksMax);
      this.counts.partitions++;
    }
  }

  /** Two groups by a random cut, or one node isolated. */
  private randomGroups(): NodeId[][] {
    const ids = this.nodes.map((n) => n.id);
    const shuffled = [...ids];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(this.rng() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j] as NodeId, shuffled[i] as NodeId];
    }
    const cut = 1 + Math.floor(this.rng() * (ids.length - 1));
    return [shuffled.slice(0, cut), shuffled.slice(cut)];
  }

  private crash(node: SimNode): void {
    node.raft = null;
    node.crashPoint = null;
    node.writing = null;
    node.restartStep = this.stepCount + 1 + Math.floor(this.rng() * this.opts.faults.downTicksMax);
    this.net.dropTo(node.id);
    this.counts.crashes++;
  }

  private restartDue(): void {
    for (const node of this.nodes) {
      if (node.raft !== null || node.restartStep > this.stepCount) continue;
      if (this.faultsOn && this.rng() < this.opts.faults.wipeRate) {
        node.disk.wipe();
        this.counts.wipes++;
      }
      this.start(node);
    }
  }

  private start(node: SimNode): void {
    node.incarnation++;
    const index = this.nodes.indexOf(node);
    node.raft = new Raft(
      {
        ...this.opts.raft,
        id: node.id,
        peers: this.nodes.map((n) => n.id),
        rng: seededRng((this.opts.seed * 1_000_003 + index * 7919 + node.incarnation * 104_729) >>> 0),
      },
      node.disk.restore(),
    );
    this.checker.observeRestart(node.id);
  }

  private clientRequest(): void {
    this.requestSeq++;
    const live = this.nodes.filter((n) => n.raft !== null);
    if (live.length === 0) return;
    // Clients mostly find the leader, sometimes ask a random node.
    const leaders = live.filter((n) => n.raft?.status().role === "leader");
    const target = leaders.length > 0 && this.rng() < 0.9 ? this.pick(leaders) : this.pick(live);
    const raft = target.raft as Raft;
    if (this.rng() < this.opts.readShare) {
      const ctx = `r${this.requestSeq}`;
      this.counts.readsIssued++;
      this.pendingReads.set(ctx, this.checker.committedIndex());
      raft.readIndex(ctx);
      return;
    }
    this.counts.proposalsIssued++;
    if (raft.propose(`op${this.requestSeq}`).ok) this.counts.proposalsAccepted++;
  }

  /**
   * The node process's loop: take a Ready, send its early messages, write it (taking
   * 0..diskDelayTicksMax ticks, while the core keeps stepping), then send, apply and advance. A planned crash
   * cuts it short before or after the write.
   */
  private processReadies(node: SimNode): void {
    for (let i = 0; i < READIES_PER_STEP_MAX; i++) {
      const raft = node.raft;
      if (raft === null) return;
      if (node.writing === null) {
        if (!raft.hasReady()) return;
        const rd = raft.ready();
        const first = rd.entries[0];
        if (first !== undefined) this.checker.observeEntries(node.id, rd.entries, raft.entryAt(first.index - 1)?.term ?? 0);
        // A leader's appends may leave before its write, as the node sends them.
        for (const m of rd.earlyMessages) this.net.send(m, this.stepCount);
        const delay = this.faultsOn ? Math.floor(this.rng() * (this.opts.faults.diskDelayTicksMax + 1)) : 0;
        node.writing = { rd, doneStep: this.stepCount + delay };
      }
      if (node.writing.doneStep > this.stepCount) return;
      const rd = node.writing.rd;
      node.writing = null;
      if (node.crashPoint === "beforePersist") return this.crash(node);
      node.disk.persist(rd);
      if (node.crashPoint === "afterPersist") return this.crash(node);
      for (const m of rd.messages) this.net.send(m, this.stepCount);
      this.checker.observeApplied(node.id, raft.status().term, rd.committed);
      this.observeReads(node.id, rd);
      raft.advance(rd);
    }
  }

  private observeReads(node: NodeId, rd: Ready): void {
    for (const rs of rd.readStates) {
      const required = this.pendingReads.get(rs.ctx);
      if (required === undefined) throw new Error(`read ${rs.ctx} answered twice or never asked`);
      this.pendingReads.delete(rs.ctx);
      this.checker.observeRead(node, rs.ctx, rs.index, required);
      this.counts.readsOk++;
    }
    for (const rf of rd.readFailures) {
      this.pendingReads.delete(rf.ctx);
      this.counts.readsFailed++;
    }
  }

  private check(): void {
    const leaders = [];
    for (const node of this.nodes) {
      const raft = node.raft;
      if (raft === null) continue;
      const s = raft.status();
      this.checker.observeCommit(node.id, s.term, s.commitIndex, (i) => raft.entryAt(i));
      if (s.role === "leader") leaders.push({ id: node.id, term: s.term, log: (i: number) => raft.entryAt(i) });
    }
    this.checker.observeLeaders(leaders);
  }
}

/** Runs one seeded simulation to its end: the faulty phase, then a healed one that must converge. */
export function runSimulation(options: SimulationInput): SimulationSummary {
  return new Simulation(options).runToEnd();
}
