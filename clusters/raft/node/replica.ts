import { Raft } from "../core/raft.js";
import { seededRng } from "../../../src/rng.js";
import { decodeConfig } from "../core/config.js";
import type { ClusterConfig, ConfigChange, Entry, Message, NodeId, Ready, Role } from "../core/types.js";
import { encodeCommand, type Command, type SessionTag } from "../state/commands.js";
import { StateMachine, type ApplyResult } from "../state/machine.js";
import { applyOrder, bugAck, lockToken, type BugAck } from "./bugs.js";
import type { NodeConfig, PeerAddrs } from "./config.js";
import type { Logger } from "./log.js";
import { Wal, WalCorruptError } from "./wal.js";
import { SnapshotStore } from "./snapshots.js";
import { type ProposeOutcome, Proposals, type Timeout, type Unavailable, type Waiter } from "./proposals.js";
import { ReadyLoop } from "./ready-loop.js";
import { nodeIo, type PeerNetwork, type ReplicaIo } from "./replica-io.js";

/**
 * One replica: the Raft core driven by a timer and by peer messages, with its
 * write-ahead log, transport and state machine. The loop is the one from
 * etcd's raft (./ready-loop.ts): take a Ready, apply its committed entries,
 * persist it (one fdatasync), send its messages, advance. Every bit of I/O goes
 * through `ReplicaIo`, so the simulator runs this same class.
 */

export type { ProposeOutcome, Timeout, Unavailable };
export type ReadOutcome = { kind: "ready" } | Unavailable | Timeout;
/** A membership change: committed, certainly not made (unavailable, or refused with why), or unknown (timeout). */
export type MembershipOutcome =
  | { kind: "applied"; index: number; config: ClusterConfig }
  | { kind: "refused"; reason: string }
  | Unavailable
  | Timeout;

/** How long a client request may wait for its entry or read before the answer is "timeout". */
export const REQUEST_TIMEOUT_MS = 2000;
/** Requests waiting at once; beyond it new ones are refused (503, certainly not applied). */
const WAITING_MAX = 50_000;
const SWEEP_INTERVAL_MS = 50;
/** Ready batches handled per turn of the event loop, so HTTP and timers get their turn. */
const READY_BATCHES_PER_TURN = 64;

export class Replica {
  readonly sm: StateMachine;
  private readonly raft: Raft;
  private readonly wal: Wal;
  private readonly transport: PeerNetwork;
  private readonly loop: ReadyLoop;
  private readonly proposals = new Proposals();
  /** Reads waiting for the leader's quorum round, by read context. */
  private readonly readRounds = new Map<string, Waiter<ReadOutcome>>();
  /** Reads confirmed at an index, waiting for this replica to apply up to it. */
  private readsAwaitingApply: { index: number; waiter: Waiter<ReadOutcome> }[] = [];
  private nextReadCtx = 1;
  private roleValue: Role = "follower";
  private leaderValue: NodeId | null = null;
  private readonly timers: (() => void)[] = [];
  private readonly snapshots: SnapshotStore;
  /** The index of the newest durable snapshot (taken here or installed from the leader). */
  private snapshotIndex = 0;
  /** The term of the last entry applied, for a snapshot taken at it. */
  private appliedTerm = 0;
  /** A snapshot being written; the log is compacted once it is durable. */
  private snapshotting = false;
  private compaction: { index: number; data: string } | null = null;
  /** The membership change this leader proposed and waits to apply; one at a time, as the core allows. */
  private membershipWaiter: (Waiter<MembershipOutcome> & { index: number; term: number; config: ClusterConfig }) | null = null;
  /** The configuration index whose members' addresses the transport knows. */
  private addressedConfigIndex = -1;

  constructor(
    private readonly cfg: NodeConfig,
    private readonly log: Logger,
    private readonly io: ReplicaIo = nodeIo(cfg, log),
  ) {
    this.sm = new StateMachine({ lockToken: (index, term) => lockToken(cfg.bugs, index, term) });
    this.snapshots = new SnapshotStore(io.snapDir, io.files);
    const snapshot = this.snapshots.load();
    const opened = Wal.open(io.walDir, { segmentBytes: cfg.walSegmentBytes, io: io.files, preallocate: io.preallocate });
    this.wal = opened.wal;
    if (opened.truncatedBytes > 0) log("warn", `cut a torn tail of ${opened.truncatedBytes} bytes from ${opened.wal.file}`);
    if (opened.reconciled) log("warn", opened.reconciled);
    const base = snapshot?.index ?? 0;
    const { hardState, resetIndex } = opened.restored;
    if (resetIndex > base) {
      throw new WalCorruptError(
        this.wal.dir,
        0,
        `the log was reset to a snapshot at ${resetIndex}, but the newest snapshot in ${this.snapshots.dir} is at ${base}`,
      );
    }
    const entries = opened.restored.entries.filter((e) => e.index > base);
    if (entries.length > 0 && entries[0]!.index !== base + 1) {
      throw new WalCorruptError(this.wal.dir, 0, `the log resumes at ${entries[0]!.index}, after a gap from the snapshot at ${base}`);
    }
    if (snapshot) {
      this.sm.restore(snapshot.data);
      this.snapshotIndex = snapshot.index;
      this.appliedTerm = snapshot.term;
    }
    log(
      "info",
      `restored term ${hardState.term}, vote ${hardState.vote}, commit ${hardState.commit}, snapshot at ${base}, ${entries.length} entries after it`,
    );
    this.raft = new Raft(
      {
        id: cfg.id,
        // A joining node has no configuration until its leader's log gives it one.
        peers: cfg.join ? [] : [cfg.id, ...Object.keys(cfg.peers)],
        electionTicks: cfg.electionTicks,
        heartbeatTicks: cfg.heartbeatTicks,
        rng: seededRng(cfg.seed),
        preVote: true,
        checkQuorum: true,
        maxInflightMsgs: cfg.maxInflightMsgs,
        maxEntriesPerMsg: cfg.maxEntriesPerMsg,
        bugs: { noTermCheck: cfg.bugs.includes("no-term-check") },
      },
      { hardState, entries, snapshot },
    );
    this.transport = io.network((m) => this.receive(m));
    this.loop = new ReadyLoop(
      this.raft,
      {
        apply: (rd) => this.apply(rd),
        send: (m) => this.transport.send(m),
        flush: () => this.transport.flush(),
        persist: (rd) => this.persist(rd),
        persisted: (rd) => this.persisted(rd),
      },
      {
        soon: io.clock.soon,
        between: () => {
          if (this.compaction) this.compact(this.compaction);
          this.maybeSnapshot();
        },
        fatal: io.fatal,
        readiesPerTurn: READY_BATCHES_PER_TURN,
      },
    );
    this.addressMembers();
  }

  async start(): Promise<void> {
    await this.transport.start();
    this.timers.push(
      this.io.clock.every(this.cfg.tickMs, () => {
        this.raft.tick();
        this.kick();
      }),
      this.io.clock.every(SWEEP_INTERVAL_MS, () => this.sweep(this.io.clock.nowMs())),
    );
    this.kick();
  }

  /** The core, to read only: the simulator checks its invariants on it. */
  get core(): Pick<Raft, "status" | "entryAt"> {
    return this.raft;
  }

  get role(): Role {
    return this.roleValue;
  }

  get leader(): NodeId | null {
    return this.leaderValue;
  }

  status() {
    const s = this.raft.status();
    return { id: s.id, role: s.role, term: s.term, leader: s.leader, commitIndex: s.commitIndex, appliedIndex: this.sm.appliedIndex };
  }

  /** The voters as this node sees them (the newest configuration in its log), with their addresses. */
  members() {
    const s = this.raft.status();
    const members = s.config.voters.map((id) => ({ id, ...(id === this.cfg.id ? this.ownAddrs() : this.addrsOf(id)) }));
    return { id: s.id, members, configIndex: s.configIndex, pending: s.configIndex > s.commitIndex, leader: s.leader };
  }

  /** Where to reach `id`: this node's own configuration first (a proxy may sit there), else what the log says. */
  addrsOf(id: NodeId): PeerAddrs | null {
    const own = this.cfg.peers[id];
    if (own) return own;
    const logged = this.raft.status().config.addrs[id];
    return logged ? { dial: logged.peer, http: logged.http } : null;
  }

  private ownAddrs(): PeerAddrs {
    return { dial: this.cfg.peerListen, http: `http://${this.cfg.httpHost}:${this.cfg.httpPort}` };
  }

  /**
   * Proposes a single-server change (core/config.ts) and resolves once it is
   * applied here. A refusal is certain (nothing was appended); a leader that
   * loses its term before the entry commits answers "timeout" (unknown).
   */
  changeMembership(change: ConfigChange): Promise<MembershipOutcome> {
    const r = this.raft.proposeConfigChange(change);
    if (!r.ok) {
      if (r.reason === "refused") return Promise.resolve({ kind: "refused", reason: r.detail });
      return Promise.resolve({ kind: "unavailable", leader: r.leader, reason: r.detail });
    }
    this.log("info", `proposed ${change.op} ${change.id} at ${r.index}: voters ${r.config.voters.join(",")}`);
    // The core allows one change in flight, so an earlier waiter's entry is committed (and answered) or was cut.
    this.membershipWaiter?.resolve({ kind: "timeout" });
    return new Promise((resolve) => {
      this.membershipWaiter = {
        index: r.index,
        term: r.term,
        config: r.config,
        resolve,
        deadlineMs: this.io.clock.nowMs() + REQUEST_TIMEOUT_MS,
      };
      this.kick();
    });
  }

  propose(cmd: Command, session: SessionTag | null = null): Promise<ProposeOutcome> {
    if (this.proposals.size >= WAITING_MAX) return Promise.resolve(this.unavailable("too many requests waiting"));
    // The leader's clock goes into the entry: sessions expire by log time (state/sessions.ts).
    const r = this.raft.propose(encodeCommand(cmd, session, this.io.clock.nowMs()));
    if (!r.ok) {
      const reason = r.reason === "busy" ? "busy: too many uncommitted entries" : "not the leader";
      return Promise.resolve({ kind: "unavailable", leader: r.leader, reason });
    }
    const ack = this.cfg.bugs.length > 0 ? bugAck(this.cfg.bugs, cmd, r.index, r.term) : null;
    return new Promise((resolve) => {
      this.proposals.add(r.index, { term: r.term, bugAck: ack, resolve, deadlineMs: this.io.clock.nowMs() + REQUEST_TIMEOUT_MS });
      this.kick();
    });
  }

  /** ReadIndex: resolves once a quorum confirmed leadership and the read index is applied here. */
  linearizableRead(): Promise<ReadOutcome> {
    if (this.readRounds.size + this.readsAwaitingApply.length >= WAITING_MAX) {
      return Promise.resolve(this.unavailable("too many requests waiting"));
    }
    const ctx = String(this.nextReadCtx++);
    return new Promise((resolve) => {
      this.readRounds.set(ctx, { resolve, deadlineMs: this.io.clock.nowMs() + REQUEST_TIMEOUT_MS });
      this.raft.readIndex(ctx);
      this.kick();
    });
  }

  close(): void {
    for (const cancel of this.timers) cancel();
    this.loop.stop();
    this.transport.close();
  }

  private unavailable(reason: string): Unavailable {
    return { kind: "unavailable", leader: this.leaderValue, reason };
  }

  private receive(m: Message): void {
    // Only nodes we can address: a stray sender (a miswired proxy) is dropped.
    if (m.from === this.cfg.id || this.addrsOf(m.from) === null) {
      this.log("warn", `dropped a ${String(m.type)} message from unknown node ${JSON.stringify(m.from)}`);
      return;
    }
    this.raft.step(m);
    this.kick();
  }

  private kick(): void {
    this.loop.kick();
  }

  /** The Ready's in-memory part: role, an installed snapshot, committed entries, reads. */
  private apply(rd: Ready): void {
    this.io.probe?.ready?.(rd, this.raft);
    this.addressMembers();
    if (rd.softState) {
      if (rd.softState.role !== this.roleValue || rd.softState.leader !== this.leaderValue) {
        this.log("info", `role ${rd.softState.role}, leader ${rd.softState.leader ?? "none"}, term ${this.raft.status().term}`);
      }
      const steppedDown = this.roleValue === "leader" && rd.softState.role !== "leader";
      this.roleValue = rd.softState.role;
      if (steppedDown && this.cfg.bugs.length > 0) this.bugAcks("stepped-down", null);
      this.leaderValue = rd.softState.leader;
    }
    // A snapshot from the leader: the state machine starts over from it, and the
    // committed entries below continue from its index.
    if (rd.snapshot) {
      this.sm.restore(rd.snapshot.data);
      this.appliedTerm = rd.snapshot.term;
      this.log("info", `installing a snapshot at ${rd.snapshot.index} (term ${rd.snapshot.term}) from the leader`);
    }
    for (const e of this.cfg.bugs.length > 0 ? applyOrder(this.cfg.bugs, this.roleValue === "leader", rd.committed) : rd.committed) {
      this.appliedTerm = e.term;
      let result: ApplyResult | null = null;
      if (e.type === "normal") result = this.sm.apply(e.index, e.term, e.data);
      else this.sm.skip(e.index);
      if (e.type === "config") this.log("info", `membership at ${e.index}: voters ${decodeConfig(e.data).voters.join(",")}`);
      if (this.membershipWaiter?.index === e.index) this.membershipSettled(e);
      this.proposals.applied(e.index, e.term, result, this.leaderValue);
    }
    for (const rs of rd.readStates) {
      const w = this.readRounds.get(rs.ctx);
      if (!w) continue;
      this.readRounds.delete(rs.ctx);
      this.readsAwaitingApply.push({ index: rs.index, waiter: w });
    }
    for (const rf of rd.readFailures) {
      const w = this.readRounds.get(rf.ctx);
      if (!w) continue;
      this.readRounds.delete(rf.ctx);
      w.resolve({ kind: "unavailable", leader: rf.leader, reason: "leadership not confirmed" });
    }
    if (this.readsAwaitingApply.length > 0) this.releaseReads();
  }

  private async persist(rd: Ready): Promise<void> {
    if (this.io.diskTurn) await this.io.diskTurn();
    this.io.probe?.writing?.(rd);
    if (rd.snapshot) {
      // Durable before the answer that promises it, and before the log's reset mark.
      await this.snapshots.save(rd.snapshot);
      await this.wal.resetTo(rd.snapshot.index, rd.snapshot.term);
      this.snapshotIndex = rd.snapshot.index;
    }
    if (rd.hardState || rd.entries.length > 0) await this.wal.append(rd.hardState, rd.entries);
    this.io.probe?.persisted?.(rd);
  }

  private persisted(rd: Ready): void {
    if (rd.entries.length > 0 && this.cfg.bugs.length > 0) this.bugAcks("appended", rd);
  }

  /** A new configuration's members get transport links (an address in the log, for a member added at run time). */
  private addressMembers(): void {
    const { config, configIndex } = this.raft.status();
    if (configIndex === this.addressedConfigIndex) return;
    this.addressedConfigIndex = configIndex;
    for (const id of config.voters) {
      const addrs = this.addrsOf(id);
      if (id !== this.cfg.id && addrs !== null) this.transport.addPeer?.(id, addrs.dial);
    }
  }

  /** The rule of ./proposals.ts: another entry at the change's index means it certainly did not happen. */
  private membershipSettled(e: Entry): void {
    const w = this.membershipWaiter as NonNullable<typeof this.membershipWaiter>;
    this.membershipWaiter = null;
    if (w.term === e.term) w.resolve({ kind: "applied", index: e.index, config: w.config });
    else w.resolve({ kind: "unavailable", leader: this.leaderValue, reason: "another entry committed at the change's index" });
  }

  /**
   * Every `snapshotEntries` applied entries, the state machine is serialized (a
   * consistent view, taken between Readys) and written in the background; the
   * Ready loop goes on meanwhile, and the log is compacted once the file is durable.
   */
  private maybeSnapshot(): void {
    if (this.snapshotting || this.sm.appliedIndex - this.snapshotIndex < this.cfg.snapshotEntries) return;
    const index = this.sm.appliedIndex;
    const snap = { index, term: this.appliedTerm, data: this.sm.snapshot(), config: this.raft.configAt(index).config };
    this.snapshotting = true;
    this.snapshots.save(snap).then(
      (file) => {
        this.log("info", `snapshot at ${snap.index} (${snap.data.length} characters) saved to ${file}`);
        this.compaction = { index: snap.index, data: snap.data };
        this.kick();
      },
      (err: unknown) => {
        // The snapshot is only an optimization; the log still holds everything.
        this.snapshotting = false;
        this.log("error", `snapshot at ${snap.index} failed: ${(err as Error).message}`);
      },
    );
  }

  private compact(c: { index: number; data: string }): void {
    this.compaction = null;
    this.snapshotting = false;
    if (c.index <= this.snapshotIndex) return;
    this.snapshotIndex = c.index;
    this.raft.compact(c.index, c.data, this.cfg.snapshotKeepEntries);
    const removed = this.wal.compact(c.index);
    this.log("info", `compacted the log to ${c.index}: ${removed} segment files removed`);
  }

  /**
   * Bugs that answer before the entry applies (./bugs.ts): ack-before-quorum
   * once this Ready's entries are in the leader's own log; lost-broadcast when
   * the leader steps down, for everything still pending.
   */
  private bugAcks(when: BugAck["when"], rd: Ready | null): void {
    const pending = this.proposals.byIndex;
    const candidates = rd ? rd.entries : [...pending].map(([index, p]) => ({ index, term: p.term }));
    for (const e of candidates) {
      const p = pending.get(e.index);
      if (p?.bugAck?.when !== when || p.term !== e.term) continue;
      pending.delete(e.index);
      p.resolve({ kind: "applied", result: p.bugAck.result });
    }
  }

  private releaseReads(): void {
    const applied = this.sm.appliedIndex;
    const still: typeof this.readsAwaitingApply = [];
    for (const r of this.readsAwaitingApply) {
      if (r.index <= applied) r.waiter.resolve({ kind: "ready" });
      else still.push(r);
    }
    this.readsAwaitingApply = still;
  }

  /** Answers "timeout" to requests past their deadline: their outcome is unknown. */
  private sweep(nowMs: number): void {
    // Deadlines are set at insertion with one constant, so map order is deadline order.
    for (const map of [this.proposals.byIndex, this.readRounds] as Map<unknown, Waiter<never>>[]) {
      for (const [k, w] of map) {
        if (w.deadlineMs > nowMs) break;
        map.delete(k);
        w.resolve({ kind: "timeout" } as never);
      }
    }
    if (this.membershipWaiter !== null && this.membershipWaiter.deadlineMs <= nowMs) {
      this.membershipWaiter.resolve({ kind: "timeout" });
      this.membershipWaiter = null;
    }
    if (this.readsAwaitingApply.some((r) => r.waiter.deadlineMs <= nowMs)) {
      this.readsAwaitingApply = this.readsAwaitingApply.filter((r) => {
        if (r.waiter.deadlineMs > nowMs) return true;
        r.waiter.resolve({ kind: "timeout" });
        return false;
      });
    }
  }
}
