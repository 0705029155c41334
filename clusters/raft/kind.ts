import type { ReadConsistency } from "../cluster.js";
import { apiLoad } from "../api/load.js";
import type { ClusterKind, PlantedBug } from "../kind.js";
import { RaftCluster } from "./adapter.js";
import { BUG_ABOUT, BUGS, type Bug } from "./node/bugs.js";

/**
 * Each planted bug's run (README, "Choosing time and faults"): the workload
 * whose checker catches it, and the class of faults that exposes it (null: the
 * workload's own faults; the state machine's bugs show without any).
 */
const BUG_RUNS: Readonly<Record<Bug, Omit<PlantedBug, "name" | "about">>> = {
  "stale-reads": { workload: "register", faults: "long-leader-partition" },
  "ack-before-quorum": { workload: "register", faults: "leader-cut-off" },
  "no-term-check": { workload: "register", faults: "leader-stall-on-slow-links" },
  "reorder-delivery": { workload: "broadcast", faults: "restarts" },
  "lost-broadcast": { workload: "broadcast", faults: "leader-cut-off" },
  "split-txn": { workload: "list-append", faults: null },
  "unfenced-lock": { workload: "lock", faults: null },
  "duplicate-claim": { workload: "unique", faults: null },
};

/** Our Raft cluster: every feature of the node API, three read paths, faults by proxy or netns. */
export const raftKind: ClusterKind = {
  name: "raft",
  about: "our Raft cluster (clusters/raft), one node process each",
  features: ["get", "put", "cas", "broadcast", "deliveries", "acquire", "release", "txn", "status"],
  readModes: ["linearizable", "log", "local"],
  // local answers from the node's own state: a node cut off from the majority serves stale values.
  staleReads: { local: "long-leader-partition" },
  networks: ["proxy", "netns"],
  membership: true,
  bugs: BUGS.map((name) => ({ name, about: BUG_ABOUT[name], ...BUG_RUNS[name] })),
  // Its version is tob's own, which test.json records for every run.
  version: async () => ({}),
  create: (o) =>
    new RaftCluster({
      dir: o.dir,
      nodes: o.ids.length,
      wiring: o.wiring,
      nodeArgs: [...o.bugs.flatMap((b) => ["--bug", b]), ...(o.nodeArgs ?? [])],
      reads: o.reads as ReadConsistency,
      requestTimeoutMs: o.requestTimeoutMs,
      trace: o.trace,
    }),
  load: apiLoad,
  knobs: {
    inflight: (n) => ["--max-inflight", String(n)],
    batch: (n) => ["--max-batch", String(n)],
  },
};
