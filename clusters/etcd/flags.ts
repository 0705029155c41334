/** Everything that makes one etcd member's command line. */
export interface MemberSpec {
  id: string;
  dataDir: string;
  /** e.g. http://127.0.0.1:23790 */
  clientUrl: string;
  /** e.g. http://127.0.0.1:23800 */
  peerUrl: string;
  /** Every member as id=peerUrl, joined with commas. */
  initialCluster: string;
  /** Unique per cluster, so members of two clusters can never join each other. */
  clusterToken: string;
  heartbeatMs: number;
  electionMs: number;
}

/**
 * The etcd 3.4 arguments for a member. A first start uses state "new"; a
 * restart reuses the same flags with "existing" (etcd then takes membership
 * from its data dir). fsync stays on: we never pass --unsafe-no-fsync.
 */
export function etcdArgs(spec: MemberSpec, state: "new" | "existing"): string[] {
  return [
    `--name=${spec.id}`,
    `--data-dir=${spec.dataDir}`,
    `--listen-client-urls=${spec.clientUrl}`,
    `--advertise-client-urls=${spec.clientUrl}`,
    `--listen-peer-urls=${spec.peerUrl}`,
    `--initial-advertise-peer-urls=${spec.peerUrl}`,
    `--initial-cluster=${spec.initialCluster}`,
    `--initial-cluster-token=${spec.clusterToken}`,
    `--initial-cluster-state=${state}`,
    `--heartbeat-interval=${spec.heartbeatMs}`,
    `--election-timeout=${spec.electionMs}`,
    // zap to stderr: structured lines in nodes/<id>.log instead of the deprecated capnslog.
    "--logger=zap",
    "--log-outputs=stderr",
  ];
}
