import type { ClusterKind } from "../kind.js";
import { etcdVersion } from "./binary.js";
import { etcdLoad } from "./load.js";
import type { EtcdReads } from "./client.js";
import { EtcdCluster } from "./cluster.js";

/**
 * A real etcd (Debian's etcd-server). Its members all dial the same advertised
 * peer URLs, so the proxy mesh cannot stand between them: network faults need
 * network namespaces. It has no broadcast, lock or txn API in our shape.
 */
export const etcdKind: ClusterKind = {
  name: "etcd",
  about: "a real etcd cluster from Debian's etcd-server",
  features: ["get", "put", "cas", "status"],
  readModes: ["linearizable", "serializable"],
  // serializable reads are served by any member from its own state, a cut-off one included.
  staleReads: { serializable: "long-leader-partition" },
  networks: ["netns"],
  bugs: [],
  version: async () => ({ etcd: await etcdVersion("etcd") }),
  create: (o) =>
    new EtcdCluster({
      dir: o.dir,
      nodes: o.wiring.backend === "netns" ? undefined : o.ids.length,
      reads: o.reads as EtcdReads,
      requestTimeoutMs: o.requestTimeoutMs,
      network: o.wiring.backend === "netns" ? o.wiring.hosts : undefined,
    }),
  load: etcdLoad,
};
