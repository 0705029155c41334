/**
 * A kind of cluster: what the registry (./index.ts) knows about one system
 * under test, so that nothing outside clusters/ has to. The controller picks a
 * kind by name, checks the run against what the kind declares (features, read
 * modes, network backends, planted bugs) before anything starts, and asks the
 * kind for a Cluster wired to the run's network.
 */
import type { Network } from "../src/nemesis/network.js";
import type { Exchange } from "./api/client.js";
import type { Rpc } from "./api/maelstrom-protocol.js";
import type { Cluster, ClusterClient } from "./cluster.js";

/** The client features a kind may offer: the optional and required methods of ClusterClient. */
export const FEATURES = ["get", "put", "cas", "broadcast", "deliveries", "acquire", "release", "txn", "status"] as const;
export type Feature = (typeof FEATURES)[number] & keyof ClusterClient;

/** How a run can inject network faults (src/nemesis): the controller's TCP proxy mesh, or network namespaces (root). */
export const NETWORK_BACKENDS = ["proxy", "netns"] as const;
export type NetworkBackend = (typeof NETWORK_BACKENDS)[number];

/** The hosts of a network-namespace network, as a cluster needs them: addresses, and commands run inside. */
export interface NetnsHosts {
  hosts(): string[];
  address(host: string): string;
  command(host: string, file: string, args: readonly string[]): { file: string; args: string[] };
}

/**
 * How a cluster's nodes reach one another:
 * - direct: on loopback, each dials the others' own peer ports (no network faults);
 * - proxy: on loopback, node `from` dials `dial(from)[to]`, a link of the controller's proxy mesh;
 * - netns: each node runs inside its namespace host, on that host's address.
 */
export type Wiring =
  | { backend: "direct" }
  | { backend: "proxy"; dial(from: string): Record<string, string> }
  | { backend: "netns"; hosts: NetnsHosts };

/** The operations a throughput benchmark drives (bench/throughput.ts). */
export const LOAD_OPS = ["put", "broadcast", "read"] as const;
export type LoadOp = (typeof LOAD_OPS)[number];

/** One HTTP request shape a load generator repeats against a node's URL; `n` numbers the requests (distinct keys). */
export interface RequestTemplate {
  method: "GET" | "POST" | "PUT";
  path: (n: number) => string;
  body?: (n: number) => string;
}

/** Keys a read benchmark reads, written once (with put) before it starts. */
export const READ_KEYS = 64;

/**
 * The classes of faults that expose a class of bug. A kind says which class
 * shows each of its planted bugs and weak read modes; the controller holds one
 * fault plan (faults, interval, duration) per class (src/controller/defaults.ts).
 * - long-leader-partition: the leader cut off long enough for a write to commit on the other side;
 * - leader-stall-on-slow-links: slowed links, then the leader paused, so the survivors campaign at once;
 * - restarts: nodes killed and restarted (a catch-up batch);
 * - leader-cut-off: the leader cut off briefly: it takes requests until it steps down, and strands some.
 */
export const FAULT_CLASSES = ["long-leader-partition", "leader-stall-on-slow-links", "restarts", "leader-cut-off"] as const;
export type FaultClass = (typeof FAULT_CLASSES)[number];

/** A known failure a kind can build in (`tob run --bug NAME`), and the run that shows it. */
export interface PlantedBug {
  readonly name: string;
  /** What goes wrong, in one line. */
  readonly about: string;
  /** The workload whose checker catches it: `tob bench detect --bug` runs it. */
  readonly workload: string;
  /** The class of faults that exposes it in a default run; null: the workload's own faults. */
  readonly faults: FaultClass | null;
}

export interface ClusterOptions {
  /** The run folder: node logs go to DIR/nodes/<id>.log, data under DIR/data/<id>. */
  dir: string;
  /** Node ids, n1..nN. */
  ids: readonly string[];
  /** One of the kind's read modes: how get() reads when the caller names none. */
  reads: string;
  /** A client call with no answer in this long ends as info (unknown). */
  requestTimeoutMs: number;
  wiring: Wiring;
  /** Planted bugs to switch on, each one of the kind's `bugs`. */
  bugs: readonly string[];
  /** Sees every request and answer of the clients, where the kind can show them (tob conform). */
  trace?: (exchange: Exchange) => void;
  /** Extra arguments for every node (a benchmark's tuning knobs), for kinds that take them. */
  nodeArgs?: readonly string[];
}

export interface ClusterKind {
  readonly name: string;
  /** One line for `--help` and errors. */
  readonly about: string;
  readonly features: readonly Feature[];
  /** How reads may go; the first is the default. */
  readonly readModes: readonly string[];
  /** Read modes that may answer stale (from one node's state), each with the class of faults that shows it. */
  readonly staleReads?: Readonly<Record<string, FaultClass>>;
  /** The network backends whose faults reach this kind's peer traffic. */
  readonly networks: readonly NetworkBackend[];
  /** Its clusters change membership at run time (Cluster.removeMember/addMember), so `--nemesis membership` can run. */
  readonly membership?: boolean;
  /** Known failures that can be built into it (`tob run --bug`). */
  readonly bugs: readonly PlantedBug[];
  /** What runs, for test.json (e.g. {etcd: "3.4.23"}); throws with an install hint when it cannot run here. */
  version(): Promise<Record<string, string>>;
  /** A cluster of `options.ids`, not yet started. */
  create(options: ClusterOptions): Cluster;
  /**
   * The raw HTTP request for one benchmark operation against a node's client
   * URL (`tob bench throughput`); null when the kind has no such operation.
   * Absent: the kind cannot be load-tested over HTTP.
   */
  load?(op: LoadOp, payloadBytes: number, runId: string): RequestTemplate | null;
  /** Tuning knobs a benchmark may sweep: a knob's name → the node flags that set it (passed as `nodeArgs`). */
  knobs?: Readonly<Record<string, (value: number) => string[]>>;
  /** Runs the user's program as nodes whose messages the kind carries (`tob maelstrom test`). */
  readonly harness?: Harness;
}

/**
 * A harness: the user's program run as N nodes whose every message the kind
 * carries itself, with no sockets between them (`tob maelstrom test`). The
 * kind owns the network, so the nemesis' network faults act on the cluster's
 * own `network`, and it counts what it carried. The controller finds it
 * through the registry (`findHarness`), by the spec's cluster name.
 */
export interface Harness {
  create(options: HarnessOptions): HarnessCluster;
}

export interface HarnessOptions {
  /** The run folder: node logs go to DIR/nodes/<id>.log. */
  dir: string;
  /** Node ids, n1..nN. */
  ids: readonly string[];
  /** The node program and its arguments; each node is one process of it. */
  bin: string;
  args: readonly string[];
  /** Mean latency of a message, and how latencies are drawn (one of the kind's distributions). */
  latencyMs: number;
  latencyDist: string;
  /** Fixes the network's random decisions (latencies). */
  seed: number;
  /** Copy the nodes' stderr to ours too. */
  logStderr: boolean;
  /** A node that has not started (answered its init) by then fails the start with a KindError naming it. */
  startTimeoutMs: number;
  /** A client request with no reply in this long ends as info. */
  requestTimeoutMs: number;
  /** A node died without the nemesis killing it: a fault the history records. */
  onCrash?: (node: string, how: string) => void;
  /** After each node starts (and restarts): a workload's setup (e.g. the broadcast topology). */
  onNodeReady?: (node: string, rpc: Rpc) => Promise<void>;
}

/** Messages a harness carried, by kind of link, per second, and the bad ones (a protocol error of a node). */
export interface MessageStats {
  totals: Readonly<Record<string, number>>;
  perSecond: Readonly<Record<string, number>>[];
  bad: { node: string; reason: string; line: string; atMs: number }[];
}

export interface HarnessCluster extends Cluster {
  /** The network the nemesis' network faults act on: the kind's own. */
  readonly network: Network;
  /** Starts the per-second counts afresh (at the history's time zero). */
  restartCounts(): void;
  messageStats(): MessageStats;
  /** A client speaking the nodes' protocol to `node`. */
  client(node: string): ClusterClient & { rpc: Rpc };
}

/** Flags that configure a kind (e.g. --node-cmd, --cluster-file); keys as commander names them. */
export type KindParams = Readonly<Record<string, string | undefined>>;

/** A kind that needs flags before it is one (the command kind needs its node command). */
export interface KindFactory {
  readonly name: string;
  readonly about: string;
  /** The flags it reads, for errors and help, e.g. ["--node-cmd", "--cluster-file"]. */
  readonly flags: readonly string[];
  /** Throws an InputError-like Error naming the flag when the params do not make a kind. */
  configure(params: KindParams): Promise<ClusterKind>;
  /** Runs the user's program as nodes whose messages the kind carries (`tob maelstrom test`). */
  readonly harness?: Harness;
}

export type RegisteredKind = ClusterKind | KindFactory;

export function isFactory(kind: RegisteredKind): kind is KindFactory {
  return typeof (kind as KindFactory).configure === "function";
}

/** A problem with the kind the user named or configured: the CLI reports it as an input error (exit 2). */
export class KindError extends Error {
  override readonly name = "KindError";
}
