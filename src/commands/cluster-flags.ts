/**
 * The flags that choose and configure the system under test, shared by every
 * command that starts one (run, conform, bench): --cluster, --reads,
 * --node-cmd, --cluster-file. The registry (clusters/index.ts) judges them.
 */
import { isAbsolute, resolve } from "node:path";
import type { Command } from "commander";
import { KIND_NAMES } from "../../clusters/index.js";
import type { RunSpec } from "../controller/spec.js";

export interface ClusterFlags {
  cluster?: string;
  reads?: string;
  nodeCmd?: string;
  clusterFile?: string;
}

export function addClusterOptions(command: Command): Command {
  return command
    .option("--cluster <kind>", `the system under test: ${KIND_NAMES.join(", ")}, or a module exporting defineCluster(...) (./adapter.mjs)`)
    .option("--reads <mode>", "how reads go, one of the kind's read modes (default: its first, e.g. linearizable)")
    .option(
      "--node-cmd <template>",
      "--cluster command: how to start one node; placeholders {id} {host} {http_port} {peer_port} {data_dir} {peers} {http_peers}",
    )
    .option("--cluster-file <file>", "--cluster command from a JSON file: command, env, health, features, readModes, stopSignal");
}

/** The spec's cluster fields; paths become absolute so test.json can be replayed from anywhere. */
export function clusterSpec(flags: ClusterFlags): Pick<RunSpec, "cluster" | "clusterParams" | "reads"> {
  const command = flags.nodeCmd !== undefined || flags.clusterFile !== undefined;
  const named = flags.cluster ?? (command ? "command" : "raft");
  const cluster = /[/\\]|\.m?js$/.test(named) && !isAbsolute(named) ? resolve(named) : named;
  // The folder relative commands in the template run from, kept so a replay works from anywhere.
  const params: Record<string, string> = { cwd: process.cwd() };
  if (flags.nodeCmd !== undefined) params.nodeCmd = flags.nodeCmd;
  if (flags.clusterFile !== undefined) params.clusterFile = resolve(flags.clusterFile);
  return { cluster, ...(command ? { clusterParams: params } : {}), ...(flags.reads !== undefined ? { reads: flags.reads } : {}) };
}
