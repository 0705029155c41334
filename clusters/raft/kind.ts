import type { ReadConsistency } from "../cluster.js";
import { apiLoad } from "../api/load.js";
import type { ClusterKind } from "../kind.js";
import { RaftCluster } from "./adapter.js";
import { BUGS } from "./node/config.js";

/** Our Raft cluster: every feature of the node API, three read paths, faults by proxy or netns. */
export const raftKind: ClusterKind = {
  name: "raft",
  about: "our Raft cluster (clusters/raft), one node process each",
  features: ["get", "put", "cas", "broadcast", "deliveries", "acquire", "release", "txn", "status"],
  readModes: ["linearizable", "log", "local"],
  networks: ["proxy", "netns"],
  membership: true,
  bugs: BUGS,
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
