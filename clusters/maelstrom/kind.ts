/**
 * Maelstrom nodes as a kind of the registry: `tob run --cluster maelstrom
 * --node-cmd "node my-node.js"` runs our own workloads against any node that
 * serves Maelstrom's lin-kv RPCs (read, write, cas), which the client maps
 * get/put/cas onto. Kills and pauses are real; network faults go through the
 * Maelstrom router, which `tob maelstrom test` drives through this kind's
 * harness (this kind takes none from `tob run`'s proxy or netns backends: its
 * nodes have no sockets).
 */
import type { ClusterKind, Harness, KindFactory } from "../kind.js";
import { KindError } from "../kind.js";
import { MaelstromCluster } from "./cluster.js";
import { LATENCY_DISTS, type LatencyDist } from "./latency.js";

const INIT_TIMEOUT_MS = 10_000;

/** `tob maelstrom test`: the user's program as nodes behind the router, with Maelstrom's latencies and services. */
const harness: Harness = {
  create: (o) => {
    if (!(LATENCY_DISTS as readonly string[]).includes(o.latencyDist))
      throw new KindError(`latency distribution ${JSON.stringify(o.latencyDist)} is not one of ${LATENCY_DISTS.join(", ")}`);
    return new MaelstromCluster({ ...o, latencyDist: o.latencyDist as LatencyDist });
  },
};

export const maelstromKind: KindFactory = {
  name: "maelstrom",
  about: "any Maelstrom-protocol node (JSON on stdin/stdout) serving lin-kv's read/write/cas; --node-cmd starts one",
  flags: ["--node-cmd"],
  harness,
  async configure(params): Promise<ClusterKind> {
    const words = (params.nodeCmd ?? "")
      .trim()
      .split(/\s+/)
      .filter((w) => w !== "");
    const [bin, ...args] = words;
    if (bin === undefined)
      throw new KindError(
        '--cluster maelstrom needs --node-cmd, the command that starts one node (e.g. "node examples/maelstrom/js/lin-kv-proxy.js")',
      );
    return {
      name: "maelstrom",
      about: maelstromKind.about,
      features: ["get", "put", "cas"],
      readModes: ["linearizable"],
      networks: [],
      bugs: [],
      version: async () => ({ "maelstrom-node": words.join(" ") }),
      create: (o) =>
        new MaelstromCluster({
          dir: o.dir,
          bin,
          args,
          ids: o.ids,
          latencyMs: 0,
          latencyDist: "constant",
          seed: 0,
          logStderr: false,
          startTimeoutMs: INIT_TIMEOUT_MS,
          requestTimeoutMs: o.requestTimeoutMs,
        }),
    };
  },
};
