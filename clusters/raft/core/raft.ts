import { assert } from "./assert.js";
import { applyChange, decodeConfig, encodeConfig, quorumOf, refusal } from "./config.js";
import { RaftLog } from "./log.js";
import { Progress } from "./progress.js";
import { READS_PENDING_MAX, ReadRounds } from "./reads.js";
import type {
  AppendRequest,
  AppendResponse,
  ClusterConfig,
  ConfigChange,
  ConfigChangeResult,
  Entry,
  HardState,
  HeartbeatRequest,
  HeartbeatResponse,
  Message,
  NodeId,
  ProposeResult,
  RaftConfig,
  RaftStatus,
  ReadFailure,
  ReadState,
  Ready,
  RestoredState,
  Role,
  Snapshot,
  SnapshotRequest,
  SoftState,
  VoteRequest,
  VoteResponse,
} from "./types.js";

/** Uncommitted entries a leader accepts before refusing proposals: a leader cut off from its quorum must not grow without bound. */
export const UNCOMMITTED_ENTRIES_MAX = 100_000;
/** Entry data per AppendEntries by default: x3 (UTF-8) stays well under the peer transport's 64 MiB frames. */
export const MSG_DATA_CHARS_MAX = 4 * 1024 * 1024;
/** Messages queued between two Readys; more means the shell stopped draining, a programmer error. */
export const MESSAGES_PENDING_MAX = 1_000_000;

/**
 * One Raft peer as a deterministic state machine (see types.ts for the contract).
 *
 * Persistence rule: every message leaves through a Ready, and the shell sends a
 * Ready's `messages` only after its hardState and entries are durable. So a vote
 * is granted, and an append acknowledged, only once it is on disk; and the
 * leader counts its own log toward a commit quorum only once `advance`
 * reports it durable. Its appends and heartbeats (`earlyMessages`) may leave
 * before its own write, since they promise nothing about its disk.
 *
 * Between `ready()` and `advance()` the shell may keep calling `step`, `tick`,
 * `propose` and `readIndex`; a second `ready()` before `advance()` is an error.
 */
export class Raft {
  private readonly id: NodeId;
  /** The configuration in force (./config.ts): the newest in the log, committed or not. */
  private config: ClusterConfig;
  /** The index of its entry; above the commit index while the change is in flight. */
  private configIndex = 0;
  /** The configuration as of the log's first retained index (the snapshot's, or the initial one). */
  private offsetConfig: ClusterConfig;
  /** The voters but this node, and their quorum: both follow `config`. */
  private others: NodeId[] = [];
  private quorum = 1;
  private readonly cfg: RaftConfig;
  private readonly log: RaftLog;

  private term: number;
  private vote: NodeId | null;
  private role: Role = "follower";
  private leader: NodeId | null = null;

  private ticksTotal = 0;
  private electionElapsedTicks = 0;
  private heartbeatElapsedTicks = 0;
  private electionTimeoutTicks = 0;

  /** Candidate and precandidate: who answered, and how. */
  private readonly votes = new Map<NodeId, boolean>();
  /** Leader only: one entry per follower. */
  private readonly progress = new Map<NodeId, Progress>();
  private readonly reads = new ReadRounds();

  private messages: Message[] = [];
  private readStates: ReadState[] = [];
  private readFailures: ReadFailure[] = [];
  private handedHard: HardState;
  private handedSoft: SoftState;
  private readyOutstanding = false;
  /** The latest snapshot: the one the log was compacted to (sent to followers behind it), or one just received. */
  private snapshot: Snapshot | null;
  /** A snapshot received from the leader, for the next Ready to hand over. */
  private snapshotToInstall: Snapshot | null = null;
  /** Leader: there may be appends, commit notices or read rounds to send. */
  private flushDue = false;

  constructor(config: RaftConfig, restored: RestoredState) {
    assert(config.peers.length === 0 || config.peers.includes(config.id), `peers ${config.peers.join(",")} lack ${config.id}`);
    assert(new Set(config.peers).size === config.peers.length, "peers repeat a member");
    assert(config.heartbeatTicks >= 1, "heartbeatTicks below 1");
    assert(config.electionTicks > config.heartbeatTicks, "electionTicks must exceed heartbeatTicks");
    assert(config.maxInflightMsgs >= 1 && config.maxEntriesPerMsg >= 1, "inflight and batch limits must be at least 1");
    const hs = restored.hardState;
    this.cfg = config;
    this.id = config.id;
    this.snapshot = restored.snapshot ?? null;
    this.log = new RaftLog(restored.entries, hs.commit, this.snapshot);
    this.offsetConfig = this.snapshot?.config ?? { voters: [...config.peers], addrs: {} };
    const current = this.configAt(this.log.lastIndex());
    this.config = current.config;
    this.setConfig(current.config, current.index);
    assert(this.log.lastTerm() <= hs.term, `restored log term ${this.log.lastTerm()} above hard state term ${hs.term}`);
    this.term = hs.term;
    this.vote = hs.vote;
    this.handedHard = { ...hs };
    this.handedSoft = { role: this.role, leader: this.leader };
    this.resetTimers();
  }

  // ---- inputs -------------------------------------------------------------

  tick(): void {
    this.ticksTotal++;
    if (this.role === "leader") this.tickLeader();
    else this.tickElection();
  }

  propose(data: string): ProposeResult {
    if (this.role !== "leader") return { ok: false, leader: this.leader, reason: "notLeader" };
    if (this.log.lastIndex() - this.log.commitIndex >= UNCOMMITTED_ENTRIES_MAX) {
      return { ok: false, leader: this.leader, reason: "busy" };
    }
    const entry: Entry = { index: this.log.lastIndex() + 1, term: this.term, type: "normal", data };
    this.log.append(entry);
    this.flushDue = true;
    return { ok: true, index: entry.index, term: entry.term };
  }

  /**
   * Appends a single-server membership change (./config.ts), or says why not:
   * one change at a time, only once this leader committed an entry of its term,
   * and never one that leaves too few live voters for a quorum.
   */
  proposeConfigChange(change: ConfigChange): ConfigChangeResult {
    if (this.role !== "leader") return { ok: false, leader: this.leader, reason: "notLeader", detail: "not the leader" };
    const refuse = (reason: "busy" | "refused", detail: string): ConfigChangeResult => ({ ok: false, leader: this.leader, reason, detail });
    if (!this.committedInTerm()) return refuse("busy", `the leader has not committed an entry of its term ${this.term} yet; retry shortly`);
    if (this.configIndex > this.log.commitIndex) {
      return refuse(
        "refused",
        `a membership change is already in progress (entry ${this.configIndex}, committed up to ${this.log.commitIndex})`,
      );
    }
    if (this.log.lastIndex() - this.log.commitIndex >= UNCOMMITTED_ENTRIES_MAX) return refuse("busy", "too many uncommitted entries");
    const why = refusal(this.config, change, this.liveVoters());
    if (why !== null) return refuse("refused", why);
    const config = applyChange(this.config, change);
    const entry: Entry = { index: this.log.lastIndex() + 1, term: this.term, type: "config", data: encodeConfig(config) };
    this.appendEntry(entry);
    this.flushDue = true;
    return { ok: true, index: entry.index, term: entry.term, config };
  }

  readIndex(ctx: string): void {
    if (this.role !== "leader") {
      this.readFailures.push({ ctx, leader: this.leader });
      return;
    }
    if (this.reads.size() >= READS_PENDING_MAX) {
      this.readFailures.push({ ctx, leader: this.leader });
      return;
    }
    // Until an entry of this term commits, the commit index may lag what earlier leaders committed.
    if (!this.committedInTerm()) {
      this.reads.wait(ctx);
      return;
    }
    this.reads.add(ctx, this.log.commitIndex);
    this.flushDue = true;
  }

  step(m: Message): void {
    assert(m.to === this.id, `message for ${m.to} stepped into ${this.id}`);
    // Any sender: a leader that added us before we saw the change, or a member removed since.
    assert(m.from !== this.id, `message from ${m.from} to itself`);
    if (m.term > this.term) {
      const isVote = m.type === "vote" || m.type === "prevote";
      // Leader lease: while we hear from a live leader, a vote request is a disruption (a
      // rejoining or flaky node), not a sign the leader died; ignore it.
      if (isVote && this.inLease()) return;
      // A prevote asks about a future term without moving anyone to it; a granted
      // prevote answer carries that future term too.
      const futureTerm = m.type === "prevote" || (m.type === "prevoteResp" && m.granted);
      if (!futureTerm) {
        const fromLeader = m.type === "append" || m.type === "heartbeat" || m.type === "snapshot";
        this.becomeFollower(m.term, fromLeader ? m.from : null);
      }
    } else if (m.term < this.term) {
      this.stepStale(m);
      return;
    }
    switch (m.type) {
      case "vote":
      case "prevote":
        this.onVoteRequest(m);
        return;
      case "voteResp":
      case "prevoteResp":
        this.onVoteResponse(m);
        return;
      case "append":
        if (this.followLeader(m)) this.onAppend(m);
        return;
      case "snapshot":
        if (this.followLeader(m)) this.onSnapshot(m);
        return;
      case "heartbeat":
        if (this.followLeader(m)) this.onHeartbeat(m);
        return;
      case "appendResp":
        this.onAppendResponse(m);
        return;
      case "heartbeatResp":
        this.onHeartbeatResponse(m);
        return;
    }
  }

  // ---- outputs ------------------------------------------------------------

  /** False while a Ready is outstanding: call `advance` first. */
  hasReady(): boolean {
    if (this.readyOutstanding) return false;
    this.flush();
    return (
      this.snapshotToInstall !== null ||
      this.messages.length > 0 ||
      this.hardChanged() ||
      this.softChanged() ||
      this.log.lastIndex() > this.log.handedIndex ||
      this.log.commitIndex > this.log.appliedIndex ||
      this.readStates.length > 0 ||
      this.readFailures.length > 0
    );
  }

  ready(): Ready {
    assert(!this.readyOutstanding, "ready() called again before advance()");
    this.flush();
    const hard = this.hardState();
    const hardState = this.hardChanged() ? hard : null;
    this.handedHard = hard;
    const soft: SoftState = { role: this.role, leader: this.leader };
    const softState = this.softChanged() ? soft : null;
    this.handedSoft = soft;
    const last = this.log.lastIndex();
    // Everything committed is in this Ready or an earlier one, so the shell can apply it.
    assert(this.log.commitIndex <= last, `commit ${this.log.commitIndex} beyond last index ${last}`);
    assert(this.log.appliedIndex <= this.log.commitIndex, `applied ${this.log.appliedIndex} beyond commit ${this.log.commitIndex}`);
    const entries = last > this.log.handedIndex ? this.log.slice(this.log.handedIndex + 1, last) : [];
    this.log.handedIndex = last;
    const committed = this.log.commitIndex > this.log.appliedIndex ? this.log.slice(this.log.appliedIndex + 1, this.log.commitIndex) : [];
    // A message from an earlier term may promise what that term's state held (an
    // append acknowledged before a newer leader truncated it): dropping it is safe,
    // as any message may be lost.
    const messages: Message[] = [];
    const earlyMessages: Message[] = [];
    for (const m of this.messages) {
      if (m.term < this.term) continue;
      if (m.type === "append" || m.type === "heartbeat") earlyMessages.push(m);
      else messages.push(m);
    }
    this.messages = [];
    const rd: Ready = {
      hardState,
      snapshot: this.snapshotToInstall,
      entries,
      messages,
      earlyMessages,
      committed,
      readStates: this.readStates,
      readFailures: this.readFailures,
      softState,
    };
    this.readStates = [];
    this.readFailures = [];
    this.snapshotToInstall = null;
    this.readyOutstanding = true;
    return rd;
  }

  advance(rd: Ready): void {
    assert(this.readyOutstanding, "advance() without an outstanding ready()");
    this.readyOutstanding = false;
    const entries = rd.entries;
    // The highest handed entry still in our log (a newer leader may have truncated some
    // since) is now durable, and by log matching so is everything before it.
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i] as Entry;
      if (this.log.termAt(e.index) === e.term) {
        const durable = Math.min(e.index, this.log.handedIndex);
        this.log.persistedIndex = Math.max(this.log.persistedIndex, durable);
        break;
      }
    }
    // A snapshot installed since this Ready was handed out already moved applied past it.
    if (rd.committed.length > 0 && (rd.committed[0] as Entry).index <= this.log.appliedIndex) {
      assert(this.log.snapshotIndex() >= (rd.committed[rd.committed.length - 1] as Entry).index, "committed entries applied twice");
    } else if (rd.committed.length > 0) {
      const first = rd.committed[0] as Entry;
      const last = rd.committed[rd.committed.length - 1] as Entry;
      assert(first.index === this.log.appliedIndex + 1, `applied ${first.index} after ${this.log.appliedIndex}`);
      assert(last.index <= this.log.commitIndex, `applied ${last.index} beyond commit ${this.log.commitIndex}`);
      this.log.appliedIndex = last.index;
    }
    if (this.role === "leader") this.maybeCommit();
  }

  status(): RaftStatus {
    return {
      id: this.id,
      role: this.role,
      term: this.term,
      vote: this.vote,
      leader: this.leader,
      commitIndex: this.log.commitIndex,
      appliedIndex: this.log.appliedIndex,
      lastIndex: this.log.lastIndex(),
      snapshotIndex: this.log.snapshotIndex(),
      config: this.config,
      configIndex: this.configIndex,
    };
  }

  /**
   * The shell took a snapshot of the state machine as of `index` (applied): the
   * log may forget entries up to it, but keeps the last `keepEntries` of them, so a
   * follower a little behind still catches up by appends rather than a snapshot.
   */
  compact(index: number, data: string, keepEntries: number): void {
    assert(index <= this.log.appliedIndex, `snapshot at ${index} beyond applied ${this.log.appliedIndex}`);
    assert(keepEntries >= 0, "keepEntries below 0");
    if (this.snapshot !== null && index <= this.snapshot.index) return;
    this.snapshot = { index, term: this.log.termAt(index) as number, data, config: this.configAt(index).config };
    const offset = Math.max(0, index - keepEntries);
    this.offsetConfig = this.configAt(offset).config;
    this.log.compact(offset);
  }

  /** The in-memory log entry at `index`, for checkers and tests that inspect logs. */
  entryAt(index: number): Entry | undefined {
    return this.log.entryAt(index);
  }

  // ---- time ---------------------------------------------------------------

  private tickElection(): void {
    // Time runs for every node, so its lease on a leader gone quiet ends: a node added by a
    // change it has not received yet is a voter to the others, and must answer their votes.
    this.electionElapsedTicks++;
    // A node that is not a voter (joining, or removed) never campaigns: it waits to hear from a leader.
    if (this.isVoter() && this.electionElapsedTicks >= this.electionTimeoutTicks) this.campaign();
  }

  private tickLeader(): void {
    this.heartbeatElapsedTicks++;
    this.electionElapsedTicks++;
    if (this.electionElapsedTicks >= this.cfg.electionTicks) {
      this.electionElapsedTicks = 0;
      if (this.cfg.checkQuorum) {
        // A leader removing itself leads until the removal commits, but is no longer one of the quorum.
        let active = this.isVoter() ? 1 : 0;
        for (const pr of this.progress.values()) {
          if (pr.recentActive) active++;
          pr.recentActive = false;
        }
        if (active < this.quorum) {
          this.becomeFollower(this.term, null);
          return;
        }
      }
    }
    for (const pr of this.progress.values()) {
      const stalled = this.ticksTotal - pr.progressTick >= this.cfg.electionTicks;
      // A snapshot may take a while to move and install: give it a few election timeouts.
      const snapshotStalled = this.ticksTotal - pr.progressTick >= 4 * this.cfg.electionTicks;
      if (pr.state === "snapshot" && snapshotStalled) {
        pr.becomeProbe(pr.matchIndex + 1);
        this.flushDue = true;
      } else if (pr.state === "replicate" && pr.inflight.length > 0 && stalled) {
        // Appends were lost (or the follower restarted): find the agreement point again.
        pr.becomeProbe(pr.matchIndex + 1);
        this.flushDue = true;
      }
    }
    if (this.heartbeatElapsedTicks >= this.cfg.heartbeatTicks) {
      this.heartbeatElapsedTicks = 0;
      this.broadcastHeartbeat();
    }
  }

  private resetTimers(): void {
    this.electionElapsedTicks = 0;
    this.heartbeatElapsedTicks = 0;
    const r = this.cfg.rng();
    assert(r >= 0 && r < 1, `rng returned ${r}, outside [0, 1)`);
    this.electionTimeoutTicks = this.cfg.electionTicks + Math.floor(r * this.cfg.electionTicks);
  }

  private inLease(): boolean {
    return this.cfg.checkQuorum && this.leader !== null && this.electionElapsedTicks < this.cfg.electionTicks;
  }

  // ---- roles --------------------------------------------------------------

  private campaign(): void {
    if (this.cfg.preVote) this.becomePreCandidate();
    else this.becomeCandidate();
  }

  private becomePreCandidate(): void {
    if (this.startElection("precandidate")) {
      this.becomeCandidate();
      return;
    }
    for (const to of this.others) this.sendVoteRequest(to, "prevote", this.term + 1);
  }

  private becomeCandidate(): void {
    this.term++;
    this.vote = this.id;
    if (this.startElection("candidate")) {
      this.becomeLeader();
      return;
    }
    for (const to of this.others) this.sendVoteRequest(to, "vote", this.term);
  }

  /** Enters a (pre-)election with only its own vote; true when that alone is a quorum (a one-node cluster). */
  private startElection(role: "precandidate" | "candidate"): boolean {
    this.role = role;
    this.leader = null;
    this.progress.clear();
    this.resetTimers();
    this.votes.clear();
    this.votes.set(this.id, true);
    return this.tallyVotes() >= this.quorum;
  }

  private becomeLeader(): void {
    assert(this.role === "candidate", `${this.role} cannot become leader`);
    assert(this.vote === this.id, "leader did not vote for itself");
    this.role = "leader";
    this.leader = this.id;
    this.resetTimers();
    this.progress.clear();
    const next = this.log.lastIndex() + 1;
    for (const peer of this.others) this.progress.set(peer, new Progress(next, this.ticksTotal, this.cfg.maxInflightMsgs));
    // The noop lets the leader commit (and so learn the commit index of) everything
    // earlier terms left behind, which the Figure 8 rule forbids committing directly.
    this.log.append({ index: next, term: this.term, type: "noop", data: "" });
    this.flushDue = true;
  }

  private becomeFollower(term: number, leader: NodeId | null): void {
    assert(term >= this.term, `term going back from ${this.term} to ${term}`);
    if (term > this.term) {
      this.term = term;
      this.vote = null;
    }
    this.role = "follower";
    this.leader = leader;
    this.failReads();
    this.progress.clear();
    this.votes.clear();
    this.flushDue = false;
    this.resetTimers();
  }

  /**
   * Called for an append or heartbeat of our term: its sender is the term's one
   * leader, and we follow it. False when we lead the term ourselves, which only
   * the no-term-check bug allows.
   */
  private followLeader(m: AppendRequest | HeartbeatRequest | SnapshotRequest): boolean {
    if (this.role === "leader") {
      assert(this.cfg.bugs?.noTermCheck === true, `two leaders in term ${this.term}: ${this.id} and ${m.from}`);
      // Sure it alone leads the term, the buggy leader takes its rival for a stale one and
      // answers as to a stale one. The answer is a sign of life to the rival's check-quorum,
      // so neither steps down: the split brain lasts, and a third node serves both.
      this.stepStale(m);
      return false;
    }
    if (this.role !== "follower" || this.leader !== m.from) this.becomeFollower(this.term, m.from);
    this.electionElapsedTicks = 0;
    return true;
  }

  private failReads(): void {
    for (const ctx of this.reads.drain()) this.readFailures.push({ ctx, leader: this.leader });
  }

  // ---- elections ----------------------------------------------------------

  private onVoteRequest(m: VoteRequest): void {
    const pre = m.type === "prevote";
    // The no-term-check bug forgets the vote (and the leader) this node already has in the term.
    const forgetful = !pre && this.cfg.bugs?.noTermCheck === true;
    const canVote = forgetful || this.vote === m.from || (this.vote === null && this.leader === null) || (pre && m.term > this.term);
    const respType = pre ? "prevoteResp" : "voteResp";
    if (canVote && this.log.isUpToDate(m.lastLogIndex, m.lastLogTerm)) {
      this.send({ type: respType, from: this.id, to: m.from, term: m.term, granted: true });
      if (!pre) {
        // The vote goes into the hard state of the Ready that carries this answer. A vote
        // already cast stays (only the no-term-check bug grants past one): a candidate that
        // wins must still hold its own.
        this.vote ??= m.from;
        this.electionElapsedTicks = 0;
      }
      return;
    }
    this.send({ type: respType, from: this.id, to: m.from, term: this.term, granted: false });
  }

  private onVoteResponse(m: VoteResponse): void {
    if (m.type === "prevoteResp") {
      if (this.role !== "precandidate") return;
      if (m.term !== (m.granted ? this.term + 1 : this.term)) return;
    } else if (this.role !== "candidate" || m.term !== this.term) {
      return;
    }
    if (!this.config.voters.includes(m.from)) return;
    if (!this.votes.has(m.from)) this.votes.set(m.from, m.granted);
    if (this.tallyVotes() >= this.quorum) {
      if (this.role === "precandidate") this.becomeCandidate();
      else this.becomeLeader();
      return;
    }
    let rejections = 0;
    for (const granted of this.votes.values()) if (!granted) rejections++;
    if (rejections >= this.quorum) this.becomeFollower(this.term, null);
  }

  private tallyVotes(): number {
    let granted = 0;
    for (const g of this.votes.values()) if (g) granted++;
    return granted;
  }

  private sendVoteRequest(to: NodeId, type: "vote" | "prevote", term: number): void {
    this.send({ type, from: this.id, to, term, lastLogIndex: this.log.lastIndex(), lastLogTerm: this.log.lastTerm() });
  }

  /** A message from an older term (or a rival leader, see followLeader): tell its sender our term, so a stale leader or precandidate catches up. */
  private stepStale(m: Message): void {
    if (m.type === "append" || m.type === "heartbeat" || m.type === "snapshot") {
      this.send({ type: "appendResp", from: this.id, to: m.from, term: this.term, success: false, index: 0, hintIndex: 0, hintTerm: 0 });
    } else if (m.type === "prevote") {
      this.send({ type: "prevoteResp", from: this.id, to: m.from, term: this.term, granted: false });
    }
  }

  // ---- replication: follower ----------------------------------------------

  private onAppend(m: AppendRequest): void {
    // Everything up to our commit index matches the leader's log (it may be compacted
    // here): say how far we hold, and the leader continues from there (as etcd does).
    if (m.prevIndex < this.log.commitIndex) {
      this.sendAppendResponse(m.from, true, this.log.commitIndex, 0, 0);
      return;
    }
    const prevTerm = this.log.termAt(m.prevIndex);
    if (prevTerm !== m.prevTerm) {
      const short = prevTerm === undefined;
      const hintIndex = short ? this.log.lastIndex() + 1 : this.log.firstIndexOfTermAt(m.prevIndex);
      const hintTerm = short ? 0 : prevTerm;
      this.sendAppendResponse(m.from, false, m.prevIndex, hintIndex, hintTerm);
      return;
    }
    for (const [k, e] of m.entries.entries()) {
      assert(e.index === m.prevIndex + k + 1, `append from ${m.from} is not dense at ${e.index}`);
      assert(e.term <= m.term, `append of term ${m.term} carries entry of later term ${e.term}`);
      const existing = this.log.termAt(e.index);
      if (existing === e.term) continue;
      if (existing !== undefined) this.truncateFrom(e.index);
      this.appendEntry(e);
    }
    const lastNew = m.prevIndex + m.entries.length;
    // Commit only what this append proved we hold: entries past lastNew may be a stale tail.
    this.commitTo(Math.min(m.commit, lastNew));
    this.sendAppendResponse(m.from, true, lastNew, 0, 0);
  }

  private onSnapshot(m: SnapshotRequest): void {
    const snap = m.snapshot;
    if (snap.index <= this.log.commitIndex) {
      this.sendAppendResponse(m.from, true, this.log.commitIndex, 0, 0);
      return;
    }
    if (this.log.termAt(snap.index) === snap.term) {
      // We hold its last entry already: only the commit index was missing.
      this.commitTo(snap.index);
    } else {
      this.log.restart(snap.index, snap.term);
      this.offsetConfig = snap.config;
      this.setConfig(snap.config, snap.index);
      this.snapshot = snap;
      this.snapshotToInstall = snap;
    }
    this.sendAppendResponse(m.from, true, snap.index, 0, 0);
  }

  private onHeartbeat(m: HeartbeatRequest): void {
    // The leader sends min(commit, our match), a prefix we are known to share with it.
    this.commitTo(Math.min(m.commit, this.log.lastIndex()));
    const resp: HeartbeatResponse = { type: "heartbeatResp", from: this.id, to: m.from, term: this.term, readRound: m.readRound };
    this.send(resp);
  }

  private commitTo(index: number): void {
    if (index > this.log.commitIndex) this.log.commitIndex = index;
  }

  private sendAppendResponse(to: NodeId, success: boolean, index: number, hintIndex: number, hintTerm: number): void {
    const resp: AppendResponse = { type: "appendResp", from: this.id, to, term: this.term, success, index, hintIndex, hintTerm };
    this.send(resp);
  }

  // ---- replication: leader ------------------------------------------------

  private onAppendResponse(m: AppendResponse): void {
    const pr = this.progress.get(m.from);
    // No progress: we do not lead, or the sender is no longer a voter.
    if (this.role !== "leader" || pr === undefined) return;
    pr.heard(this.ticksTotal);
    if (m.success) {
      if (pr.acked(m.index, this.ticksTotal)) this.maybeCommit();
      this.flushDue = true;
      return;
    }
    this.onReject(pr, m);
  }

  /** Fast backtracking (§5.3): skip a whole conflicting term per round trip instead of one index. */
  private onReject(pr: Progress, m: AppendResponse): void {
    if (m.index <= pr.matchIndex) return; // stale: we already know more
    if (pr.state === "probe" && m.index !== pr.nextIndex - 1) return; // answers an older probe
    let next: number;
    if (m.hintTerm === 0) {
      next = m.hintIndex;
    } else {
      const ours = this.log.lastIndexOfTerm(m.hintTerm, m.index);
      next = ours === undefined ? m.hintIndex : ours + 1;
    }
    next = Math.max(pr.matchIndex + 1, Math.min(next, m.index));
    pr.becomeProbe(next);
    this.flushDue = true;
  }

  private onHeartbeatResponse(m: HeartbeatResponse): void {
    const pr = this.progress.get(m.from);
    if (this.role !== "leader" || pr === undefined) return;
    pr.heard(this.ticksTotal);
    if (pr.state === "probe" && pr.paused) {
      // The follower is alive; our probe or its answer was lost.
      pr.paused = false;
      this.flushDue = true;
    }
    if (m.readRound > pr.readRoundAcked) {
      pr.readRoundAcked = m.readRound;
      const acks = [...this.progress.values()].map((p) => p.readRoundAcked);
      this.readStates.push(...this.reads.confirm(acks, this.readQuorum()));
    }
  }

  /** Figure 8: count replicas only for an entry of the current term; earlier ones commit with it. */
  private maybeCommit(): void {
    const matches = this.isVoter() ? [this.log.persistedIndex] : [];
    for (const pr of this.progress.values()) matches.push(pr.matchIndex);
    matches.sort((a, b) => b - a);
    const majority = matches[this.quorum - 1] as number;
    assert(majority <= this.log.lastIndex(), `a quorum matches ${majority}, beyond the leader's last index ${this.log.lastIndex()}`);
    if (majority <= this.log.commitIndex || this.log.termAt(majority) !== this.term) return;
    const wasCommittedInTerm = this.committedInTerm();
    this.log.commitIndex = majority;
    this.flushDue = true;
    if (!wasCommittedInTerm) this.reads.releaseWaiting(this.log.commitIndex);
    // Our own removal committed: the new configuration elects its leader without us.
    if (!this.isVoter() && this.configIndex <= this.log.commitIndex) this.becomeFollower(this.term, null);
  }

  private committedInTerm(): boolean {
    return this.log.termAt(this.log.commitIndex) === this.term;
  }

  /** Batching: everything proposed since the last Ready leaves here, in as few appends as the limits allow. */
  private flush(): void {
    if (this.role !== "leader" || !this.flushDue) return;
    this.flushDue = false;
    if (this.reads.needsBroadcast()) {
      this.reads.markBroadcast();
      this.broadcastHeartbeat();
      // Alone, the leader is its own quorum.
      if (this.readQuorum() === 1) this.readStates.push(...this.reads.confirm([], 1));
    }
    for (const [to, pr] of this.progress) {
      const sentAppend = this.sendAppends(to, pr);
      if (!sentAppend && Math.min(this.log.commitIndex, pr.matchIndex) > pr.commitSent) this.sendHeartbeat(to, pr, 0);
    }
  }

  private sendAppends(to: NodeId, pr: Progress): boolean {
    const last = this.log.lastIndex();
    let sent = false;
    // Bounded by the inflight window (replicate) or a single probe.
    while (pr.canSend() && (pr.nextIndex <= last || (pr.state === "probe" && pr.matchIndex < last))) {
      const from = pr.nextIndex;
      if (from <= this.log.snapshotIndex()) {
        // The entries it needs next were compacted away: send the snapshot instead.
        const snapshot = this.snapshot;
        assert(snapshot !== null && snapshot.index >= this.log.snapshotIndex(), "a compacted log without its snapshot");
        this.send({ type: "snapshot", from: this.id, to, term: this.term, snapshot });
        pr.sentSnapshot(snapshot.index, this.ticksTotal);
        return true;
      }
      const to_ = this.batchEnd(from, last);
      const prevTerm = this.log.termAt(from - 1);
      assert(prevTerm !== undefined, `next index ${from} for ${to} beyond log end ${last}`);
      const append: AppendRequest = {
        type: "append",
        from: this.id,
        to,
        term: this.term,
        prevIndex: from - 1,
        prevTerm,
        entries: from <= to_ ? this.log.slice(from, to_) : [],
        commit: this.log.commitIndex,
      };
      this.send(append);
      pr.commitSent = Math.max(pr.commitSent, Math.min(this.log.commitIndex, to_));
      pr.sent(Math.max(to_, from - 1), this.ticksTotal);
      sent = true;
    }
    return sent;
  }

  /** The last index of an append starting at `from`: bounded by count and by data size, at least one entry. */
  private batchEnd(from: number, last: number): number {
    const countEnd = Math.min(last, from + this.cfg.maxEntriesPerMsg - 1);
    const charsMax = this.cfg.maxDataCharsPerMsg ?? MSG_DATA_CHARS_MAX;
    let chars = 0;
    for (let i = from; i <= countEnd; i++) {
      chars += (this.log.entryAt(i) as Entry).data.length;
      if (chars > charsMax && i > from) return i - 1;
    }
    return countEnd;
  }

  private broadcastHeartbeat(): void {
    const round = this.reads.roundToConfirm();
    for (const [to, pr] of this.progress) this.sendHeartbeat(to, pr, round);
  }

  private sendHeartbeat(to: NodeId, pr: Progress, readRound: number): void {
    const commit = Math.min(this.log.commitIndex, pr.matchIndex);
    pr.commitSent = Math.max(pr.commitSent, commit);
    this.send({ type: "heartbeat", from: this.id, to, term: this.term, commit, readRound });
  }

  // ---- membership ---------------------------------------------------------

  private isVoter(): boolean {
    return this.config.voters.includes(this.id);
  }

  /** The ReadIndex quorum counts the leader itself (reads.ts), unless it is leaving. */
  private readQuorum(): number {
    return this.isVoter() ? this.quorum : this.quorum + 1;
  }

  /**
   * The leader and the voters it heard from within two election timeouts: a
   * slow but working peer (a loaded machine) still counts, a dead one drops out
   * soon after check-quorum would have noticed it.
   */
  private liveVoters(): Set<NodeId> {
    const live = new Set<NodeId>([this.id]);
    for (const [peer, pr] of this.progress) if (pr.heardWithin(this.ticksTotal, 2 * this.cfg.electionTicks)) live.add(peer);
    return live;
  }

  /** Every append goes through here: a configuration takes effect once its entry is in the log. */
  private appendEntry(e: Entry): void {
    this.log.append(e);
    if (e.type === "config") this.setConfig(decodeConfig(e.data), e.index);
  }

  /** A truncated configuration entry is undone: the one before it is in force again. */
  private truncateFrom(index: number): void {
    this.log.truncateFrom(index);
    if (this.configIndex < index) return;
    const previous = this.configAt(index - 1);
    this.setConfig(previous.config, previous.index);
  }

  /**
   * The configuration in force at `index` (at or above the log's start) and its
   * entry's index: the newest config entry at or below it, else the log's base.
   * The shell asks for the one a snapshot it takes must carry.
   */
  configAt(index: number): { config: ClusterConfig; index: number } {
    assert(index >= this.log.snapshotIndex(), `configuration at ${index} asked, below the log's start ${this.log.snapshotIndex()}`);
    // Bounded by the retained log; runs only on truncation of a config entry and on compaction.
    for (let i = Math.min(index, this.log.lastIndex()); i > this.log.snapshotIndex(); i--) {
      const e = this.log.entryAt(i) as Entry;
      if (e.type === "config") return { config: decodeConfig(e.data), index: i };
    }
    return { config: this.offsetConfig, index: this.log.snapshotIndex() };
  }

  private setConfig(config: ClusterConfig, index: number): void {
    this.config = config;
    this.configIndex = index;
    this.others = config.voters.filter((v) => v !== this.id);
    this.quorum = quorumOf(config.voters);
    if (this.role !== "leader") return;
    for (const peer of this.others) {
      if (!this.progress.has(peer))
        this.progress.set(peer, new Progress(this.log.lastIndex() + 1, this.ticksTotal, this.cfg.maxInflightMsgs));
    }
    for (const peer of [...this.progress.keys()]) if (!this.others.includes(peer)) this.progress.delete(peer);
  }

  // ---- plumbing -----------------------------------------------------------

  private send(m: Message): void {
    assert(this.messages.length < MESSAGES_PENDING_MAX, "message queue overflow: the shell is not draining Ready");
    this.messages.push(m);
  }

  private hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.commitIndex };
  }

  private hardChanged(): boolean {
    const h = this.handedHard;
    return h.term !== this.term || h.vote !== this.vote || h.commit !== this.log.commitIndex;
  }

  private softChanged(): boolean {
    return this.handedSoft.role !== this.role || this.handedSoft.leader !== this.leader;
  }
}
