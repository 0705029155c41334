/**
 * What `import ... from "tob"` gives a module of the user's: defineCluster()
 * and the types of the Cluster seam, for `tob run --cluster ./adapter.mjs`.
 */
export { type ClientMapping, type ClusterDefinition, type ClusterNode, defineCluster } from "../clusters/define.js";
export type { ClusterClient, NodeStatus, Outcome, ReadConsistency, TxnMicroOp } from "../clusters/cluster.js";
export type { ClusterKind, Feature, NetworkBackend } from "../clusters/kind.js";
export { FEATURES } from "../clusters/kind.js";
