/**
 * `--cluster command`: the user's own nodes, in any language, started from a
 * command template (--node-cmd) or a file (--cluster-file), speaking the part
 * of tob's HTTP client API they implement. tob places them, wires their peers
 * through its proxy mesh (or network namespaces), polls their health, and
 * kills, pauses and restarts them by pid.
 */
import { ApiClient } from "../api/client.js";
import { apiLoad } from "../api/load.js";
import { probeHttp } from "../api/probe.js";
import type { ReadConsistency } from "../cluster.js";
import { type ClusterKind, type KindFactory, KindError, type KindParams } from "../kind.js";
import { ManagedCluster } from "../process/managed-cluster.js";
import type { NodePlan } from "../process/plan.js";
import { type CommandSystem, DEFAULT_HEALTH, readSystemFile, systemOf } from "./file.js";
import { fill } from "./template.js";

const PROBE_TIMEOUT_MS = 1_000;

export const commandKind: KindFactory = {
  name: "command",
  about: "your own nodes, started from --node-cmd TEMPLATE or --cluster-file FILE, speaking tob's HTTP API",
  flags: ["--node-cmd", "--cluster-file"],
  async configure(params: KindParams): Promise<ClusterKind> {
    const cwd = params.cwd ?? process.cwd();
    let system: CommandSystem;
    try {
      if (params.clusterFile !== undefined) system = readSystemFile(params.clusterFile, params.nodeCmd);
      else if (params.nodeCmd !== undefined) system = systemOf(params.nodeCmd, cwd);
      else throw new Error("--cluster command needs --node-cmd TEMPLATE or --cluster-file FILE");
    } catch (err) {
      throw new KindError((err as Error).message);
    }
    return commandSystemKind(system);
  },
};

export function commandSystemKind(system: CommandSystem): ClusterKind {
  return {
    name: "command",
    about: system.name ?? system.words.join(" "),
    features: system.features,
    readModes: system.readModes,
    networks: ["proxy", "netns"],
    bugs: [],
    version: async () => ({
      command: system.words.join(" "),
      ...(system.name ? { system: system.name } : {}),
      ...(system.version ? { systemVersion: system.version } : {}),
    }),
    create: (o) =>
      new ManagedCluster(
        {
          kind: "command",
          command: (node) => {
            const [file, ...args] = fill(system.words, node);
            return { file: file!, args: [...args, ...(o.nodeArgs ?? [])], cwd: system.cwd, env: system.env };
          },
          probe: (node) => probeHttp(healthUrl(system.health, node), PROBE_TIMEOUT_MS, system.health === DEFAULT_HEALTH),
          client: (node) => new ApiClient(node.id, node.httpUrl, o.requestTimeoutMs, o.reads as ReadConsistency, o.trace),
          stopSignal: system.stopSignal,
          startTimeoutMs: system.startTimeoutMs,
        },
        o,
      ),
    load: apiLoad,
  };
}

function healthUrl(health: string, node: NodePlan): string {
  return health.startsWith("/") ? `${node.httpUrl}${health}` : fill([health], node)[0]!;
}
