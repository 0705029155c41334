/**
 * The one interface every system under test sits behind (docs/ARCHITECTURE.md,
 * "Seams"). Workloads and the controller see only this; they never import a
 * specific cluster.
 */

/**
 * The outcome of one client call, in Jepsen's terms:
 * - ok: it happened, with this value;
 * - fail: it certainly did not happen (e.g. 503 "unavailable", a cas whose compare failed
 *   is NOT a fail: it is ok with `{ok:false}`);
 * - info: unknown (timeout, connection reset after sending).
 */
export type Outcome<T> = ({ type: "ok"; value: T } | { type: "fail"; error: string } | { type: "info"; error: string }) & {
  /**
   * Times the client resent the request after an unknown outcome, under a session
   * that makes the resend exactly-once (it applies at most once in all). Absent: none.
   */
  retries?: number;
};

export type ReadConsistency = "linearizable" | "log" | "local" | "serializable";

export interface NodeStatus {
  id: string;
  role: "leader" | "follower" | "candidate" | "precandidate";
  term: number;
  leader: string | null;
  commitIndex: number;
  appliedIndex: number;
}

export type TxnMicroOp = ["append", string, number] | ["r", string, number[] | null];

/** A client bound to one node. Optional methods are features some systems lack. */
export interface ClusterClient {
  readonly node: string;
  get(key: string, consistency?: ReadConsistency): Promise<Outcome<string | null>>;
  put(key: string, value: string): Promise<Outcome<{ index?: number }>>;
  /** ok with {ok:false, value} when the compare did not match: that is a definite "did not happen". */
  cas(key: string, from: string | null, to: string): Promise<Outcome<{ ok: boolean; value?: string | null }>>;
  broadcast?(message: string): Promise<Outcome<{ seq: number; index: number; term: number }>>;
  deliveries?(from: number, limit: number): Promise<Outcome<{ deliveries: { seq: number; message: string }[]; next: number }>>;
  acquire?(name: string, owner: string): Promise<Outcome<{ ok: true; token: number } | { ok: false; holder: string | null }>>;
  release?(name: string, owner: string, token: number): Promise<Outcome<{ ok: boolean }>>;
  txn?(ops: TxnMicroOp[]): Promise<Outcome<TxnMicroOp[]>>;
  status?(): Promise<Outcome<NodeStatus>>;
  close(): Promise<void>;
}

/**
 * The system refused a change the nemesis asked for (e.g. a membership change
 * that would lose the quorum): it certainly did not happen, and the history
 * records the attempt as a `fail`, not as a fault in force.
 */
export class ChangeRefused extends Error {
  override readonly name = "ChangeRefused";
}

export interface NodeInfo {
  id: string;
  pid: number | null;
  /** Base URL of the client API, e.g. http://127.0.0.1:7001 */
  httpUrl: string;
  /** host:port other nodes dial for peer traffic. */
  peerAddr: string;
}

/**
 * Network faults are not here: they go through the Network seam
 * (src/nemesis/network.ts), whose directed links express shapes that groups
 * cannot (bridge, ring, one-way, delay). A cluster only lets its peer traffic
 * be wired through a backend (./kind.ts, Wiring).
 */
export interface Cluster {
  /** The registered kind's name (./index.ts). */
  readonly kind: string;
  /** Returns once the cluster has a leader. Logs go under the run folder. */
  start(): Promise<void>;
  nodes(): NodeInfo[];
  client(node: string): ClusterClient;
  kill(node: string): Promise<void>; // SIGKILL
  restart(node: string): Promise<void>; // start a killed node again, same data
  pause(node: string): Promise<void>; // SIGSTOP
  resume(node: string): Promise<void>; // SIGCONT
  /**
   * Calls `listener` whenever a node's process ends without the cluster ending
   * it (a crash): a run records it in the history as a fault, not an error.
   */
  onCrash?(listener: (node: string, how: string) => void): void;
  /**
   * Membership at run time, for kinds that declare `membership` (./kind.ts):
   * take `node` out of the configuration and end it; then add it back as a
   * new, empty member (its data wiped). Each throws ChangeRefused with the
   * system's reason when the change certainly did not happen, another error when
   * its outcome stays unknown.
   */
  removeMember?(node: string): Promise<void>;
  addMember?(node: string): Promise<void>;
  /** The current leader as far as the nodes report it, or null. */
  leader?(): Promise<string | null>;
  /** Ends every process this cluster started. Idempotent. */
  stop(): Promise<void>;
}
