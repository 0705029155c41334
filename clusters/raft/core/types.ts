/**
 * The pure Raft core's interface, in the style of etcd-io/raft: `tick`, `step`,
 * `propose` and `readIndex` go in; a `Ready` comes out; `advance` acknowledges
 * it. The core does no I/O, keeps no timers, and reads no clock: time is ticks,
 * randomness is the seeded `rng` passed in.
 */

export type NodeId = string;

export type EntryType = "noop" | "normal" | "config";
/** Entry types by their code on disk and on the wire (the WAL and the peer codec): the position here. */
export const ENTRY_TYPES: readonly EntryType[] = ["noop", "normal", "config"];

/** The entry type of a code read from disk or the wire; undefined for an unknown code (damage). */
export function entryTypeOf(code: unknown): EntryType | undefined {
  return typeof code === "number" ? ENTRY_TYPES[code] : undefined;
}

/** Where the shell reaches a member: opaque to the core, which only carries it in configurations. */
export interface MemberAddrs {
  /** host:port of its peer listener. */
  peer: string;
  /** Base URL of its client API. */
  http: string;
}

/** A cluster configuration (./config.ts): the voters, and the addresses of members added at run time. */
export interface ClusterConfig {
  voters: NodeId[];
  addrs: Record<NodeId, MemberAddrs>;
}

/** One single-server membership change. */
export type ConfigChange = { op: "add"; id: NodeId; addrs?: MemberAddrs } | { op: "remove"; id: NodeId };

export interface Entry {
  index: number; // 1-based, dense
  term: number;
  type: EntryType;
  /** Opaque to the core: the state machine's command, as a string. Empty for noop; for config, the configuration (./config.ts). */
  data: string;
}

/** What must be durable before any message of the same Ready is sent. */
export interface HardState {
  term: number;
  vote: NodeId | null;
  commit: number;
}

export type Role = "follower" | "precandidate" | "candidate" | "leader";

export interface SoftState {
  role: Role;
  leader: NodeId | null;
}

interface MessageBase {
  from: NodeId;
  to: NodeId;
  term: number;
}

export interface VoteRequest extends MessageBase {
  type: "vote" | "prevote";
  lastLogIndex: number;
  lastLogTerm: number;
}

export interface VoteResponse extends MessageBase {
  type: "voteResp" | "prevoteResp";
  granted: boolean;
}

export interface AppendRequest extends MessageBase {
  type: "append";
  prevIndex: number;
  prevTerm: number;
  entries: Entry[];
  commit: number;
}

export interface AppendResponse extends MessageBase {
  type: "appendResp";
  success: boolean;
  /** On success: the last index known to match. On reject: the index rejected (prevIndex). */
  index: number;
  /** On reject, a hint for fast backtracking: the follower's conflicting term and its first index (or its last index + 1 when the log is short). */
  hintIndex: number;
  hintTerm: number;
}

export interface HeartbeatRequest extends MessageBase {
  type: "heartbeat";
  commit: number;
  /** Read-index round this heartbeat confirms leadership for (0 = none). */
  readRound: number;
}

export interface HeartbeatResponse extends MessageBase {
  type: "heartbeatResp";
  readRound: number;
}

/**
 * The state machine as of `index` (whose entry has `term`), as the shell
 * serialized it; opaque to the core, which only carries it.
 */
export interface Snapshot {
  index: number;
  term: number;
  data: string;
  /** The configuration as of `index`: the log that held its entry is gone. */
  config: ClusterConfig;
}

/** InstallSnapshot: the leader no longer holds the entries the follower needs next. Answered with an appendResp. */
export interface SnapshotRequest extends MessageBase {
  type: "snapshot";
  snapshot: Snapshot;
}

export type Message = SnapshotRequest | VoteRequest | VoteResponse | AppendRequest | AppendResponse | HeartbeatRequest | HeartbeatResponse;

/** A read request confirmed by a quorum: it may be answered once `index` is applied. */
export interface ReadState {
  ctx: string;
  index: number;
}

/** A read that cannot be confirmed (not leader, or leadership lost before quorum). */
export interface ReadFailure {
  ctx: string;
  leader: NodeId | null;
}

export interface Ready {
  /** Set when term, vote or commit changed: persist it before sending `messages`. */
  hardState: HardState | null;
  /**
   * A snapshot from the leader to install: persist it first (it replaces the
   * whole stored log), then restore the state machine from it before applying
   * `committed`, which continues from its index.
   */
  snapshot: Snapshot | null;
  /**
   * Entries to append to stable storage before sending `messages`. If the first
   * one's index is at or below the stored last index, the stored log is truncated
   * from that index first (a follower repairing its log).
   */
  entries: Entry[];
  /**
   * To send after `hardState` and `entries` are durable: votes, vote answers and
   * append answers, which promise what is on disk.
   */
  messages: Message[];
  /**
   * A leader's appends and heartbeats: may be sent before this Ready is durable,
   * in parallel with the write (as etcd does). They promise nothing about the
   * leader's disk: its term and vote became durable before its vote requests
   * went out, and it counts its own log toward a commit quorum only once
   * `advance` reports it durable, so a commit still needs a durable majority.
   */
  earlyMessages: Message[];
  /** Committed entries to apply, in order. They are durable on a majority already. */
  committed: Entry[];
  readStates: ReadState[];
  readFailures: ReadFailure[];
  /** Set when role or known leader changed. */
  softState: SoftState | null;
}

export interface RaftConfig {
  id: NodeId;
  /**
   * The voters at index 0, including `id`: the configuration until the log or a
   * snapshot holds one. Empty for a node joining a running cluster: it learns the
   * configuration from its leader and never campaigns before it is a voter.
   */
  peers: NodeId[];
  /** A follower that hears no leader for a random [electionTicks, 2*electionTicks) starts an election. */
  electionTicks: number;
  heartbeatTicks: number;
  /** A seeded generator returning floats in [0, 1). Never Math.random. */
  rng: () => number;
  preVote: boolean;
  checkQuorum: boolean;
  /** Pipelining: AppendEntries in flight per follower before waiting for acks. */
  maxInflightMsgs: number;
  /** Batching: entries per AppendEntries at most. */
  maxEntriesPerMsg: number;
  /**
   * Batching: entry data per AppendEntries at most, counted in string length (at
   * most 3 bytes each in UTF-8), so a message stays far below the transport's frame
   * limit however far behind the follower is. One entry always fits. Default
   * MSG_DATA_CHARS_MAX.
   */
  maxDataCharsPerMsg?: number;
  /** Deliberate bugs, for showing that the checkers catch them. Absent in production. */
  bugs?: RaftBugs;
}

export interface RaftBugs {
  /**
   * A voter skips the check of the vote it already cast in the term: it grants
   * every up-to-date candidate of its term, so two candidates campaigning at
   * once can both win, and a term gets two leaders (election safety broken).
   */
  noTermCheck?: boolean;
}

/** What a node restores from its write-ahead log (and latest snapshot) on start. */
export interface RestoredState {
  hardState: HardState;
  /** Dense, from `snapshot.index + 1` (or 1 without a snapshot). */
  entries: Entry[];
  /** The snapshot the state machine was restored from; the log before it is gone. */
  snapshot?: Snapshot | null;
}

export type ProposeResult =
  | { ok: true; index: number; term: number }
  | {
      ok: false;
      leader: NodeId | null;
      /** notLeader: ask `leader` instead; busy: the leader holds too many uncommitted entries, retry later. */
      reason?: "notLeader" | "busy";
    };

/**
 * A membership change appended, or certainly not in the log: notLeader (ask
 * `leader`), busy (retry shortly: the leader has no entry of its term committed
 * yet), or refused (it would be unsafe now: `detail` says why).
 */
export type ConfigChangeResult =
  | { ok: true; index: number; term: number; config: ClusterConfig }
  | { ok: false; leader: NodeId | null; reason: "notLeader" | "busy" | "refused"; detail: string };

export interface RaftStatus {
  id: NodeId;
  role: Role;
  term: number;
  vote: NodeId | null;
  leader: NodeId | null;
  commitIndex: number;
  appliedIndex: number;
  lastIndex: number;
  /** The index of the snapshot the log starts after (0: the log starts at 1). */
  snapshotIndex: number;
  /** The configuration in force: the newest in the log, committed or not. */
  config: ClusterConfig;
  /** The index of that configuration's entry (at or below the snapshot: it came with one, or is the initial one). */
  configIndex: number;
}
