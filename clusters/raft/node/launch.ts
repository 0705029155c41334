import { closeSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import type { Command } from "../../process/node-process.js";
import type { NodePlan } from "../../process/plan.js";
import { freePorts } from "../../process/ports.js";
import { distPath } from "../../../src/paths.js";
import { CONFIG_DEFAULTS, type NodeConfig } from "./config.js";

// Shared with the other kinds; re-exported for the node's own tests and `tob cluster`.
export { logTail } from "../../process/log-tail.js";
export { freePorts } from "../../process/ports.js";

/**
 * Laying out and spawning node processes, shared by the adapter (children that
 * die with the controller) and `tob cluster` (detached nodes that outlive it).
 */

/** The shared layout of a node (../../process/plan.ts), less its peers, plus the config file it reads. */
export type NodeSpec = Omit<NodePlan, "peers"> & { configFile: string };

export interface Tuning {
  tickMs?: number;
  electionTicks?: number;
  maxInflightMsgs?: number;
  maxEntriesPerMsg?: number;
  heartbeatTicks?: number;
  seed?: number;
  /** Entries between snapshots, and entries kept behind one (NodeConfig). */
  snapshotEntries?: number;
  snapshotKeepEntries?: number;
  walSegmentBytes?: number;
}

export function nodeIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `n${i + 1}`);
}

/** Where a node listens: loopback with free ports by default, or a fixed host and ports (a namespace host). */
export interface Placement {
  host: string;
  httpPort: number;
  peerPort: number;
}

/** Data under DIR/data/<id>, logs in DIR/nodes/<id>.log, configs in DIR/config/<id>.json. */
export async function planNodes(dir: string, ids: string[], place?: (id: string) => Placement): Promise<NodeSpec[]> {
  const ports = place ? [] : await freePorts(2 * ids.length);
  return ids.map((id, i) => {
    const p = place?.(id) ?? { host: "127.0.0.1", httpPort: ports[2 * i]!, peerPort: ports[2 * i + 1]! };
    return {
      id,
      host: p.host,
      httpPort: p.httpPort,
      peerPort: p.peerPort,
      httpUrl: `http://${p.host}:${p.httpPort}`,
      peerAddr: `${p.host}:${p.peerPort}`,
      dataDir: join(dir, "data", id),
      configFile: join(dir, "config", `${id}.json`),
      logFile: join(dir, "nodes", `${id}.log`),
    };
  });
}

/**
 * `dial` gives, for a node, the address it dials for each peer (default: the
 * peer's own). `joining`: the node starts as a new, empty member of a running
 * cluster (NodeConfig.join), `all` being where it finds the others.
 */
export function writeNodeConfig(
  spec: NodeSpec,
  all: Pick<NodeSpec, "id" | "peerAddr" | "httpUrl">[],
  tuning: Tuning,
  dial?: (from: string) => Record<string, string>,
  joining = false,
): void {
  const dialFor = dial?.(spec.id) ?? {};
  const peers: NodeConfig["peers"] = {};
  for (const other of all) {
    if (other.id === spec.id) continue;
    peers[other.id] = { dial: dialFor[other.id] ?? other.peerAddr, http: other.httpUrl };
  }
  const config: NodeConfig = {
    id: spec.id,
    dataDir: spec.dataDir,
    httpHost: spec.host,
    httpPort: spec.httpPort,
    peerListen: spec.peerAddr,
    peers,
    tickMs: tuning.tickMs ?? CONFIG_DEFAULTS.tickMs,
    electionTicks: tuning.electionTicks ?? CONFIG_DEFAULTS.electionTicks,
    heartbeatTicks: tuning.heartbeatTicks ?? CONFIG_DEFAULTS.heartbeatTicks,
    // Distinct seeds, so the nodes' election timeouts differ.
    seed: (tuning.seed ?? CONFIG_DEFAULTS.seed) * 1000 + all.indexOf(spec),
    maxInflightMsgs: tuning.maxInflightMsgs ?? CONFIG_DEFAULTS.maxInflightMsgs,
    maxEntriesPerMsg: tuning.maxEntriesPerMsg ?? CONFIG_DEFAULTS.maxEntriesPerMsg,
    snapshotEntries: tuning.snapshotEntries ?? CONFIG_DEFAULTS.snapshotEntries,
    snapshotKeepEntries: tuning.snapshotKeepEntries ?? CONFIG_DEFAULTS.snapshotKeepEntries,
    walSegmentBytes: tuning.walSegmentBytes ?? CONFIG_DEFAULTS.walSegmentBytes,
    bugs: [],
    join: joining,
  };
  for (const d of [spec.dataDir, join(spec.configFile, ".."), join(spec.logFile, "..")]) mkdirSync(d, { recursive: true });
  writeFileSync(spec.configFile, JSON.stringify(config, null, 2) + "\n");
}

/**
 * V8 flags for a node. A larger young generation (V8's default semi-space is
 * 16 MiB) means fewer scavenges under load: each one copies the live requests,
 * so fewer of them is less CPU on the leader's one thread. put c64, 6 paired
 * runs (load 4.5-6.8): median 8,635 -> 10,337 ok/s.
 */
const NODE_V8_FLAGS = ["--max-semi-space-size=32"];

/** `node dist/clusters/raft/node/main.js --config FILE ...`; it exits when its stdin closes. */
export function nodeCommand(spec: NodeSpec, extraArgs: readonly string[]): Command {
  return {
    file: process.execPath,
    args: [...NODE_V8_FLAGS, distPath("clusters/raft/node/main.js"), "--config", spec.configFile, ...extraArgs, "--exit-with-parent"],
  };
}

/**
 * Spawns a node outside the process module: detached ones outlive this process
 * (`tob cluster start`); attached ones are for tests of the node program. Nodes
 * of a run go through clusters/process/ instead.
 */
export type SpawnedNode = ReturnType<typeof spawnNode>;

export function spawnNode(spec: NodeSpec, opts: { detached: boolean; extraArgs?: string[] }) {
  const logFd = openSync(spec.logFile, "a");
  try {
    const args = nodeCommand(spec, opts.extraArgs ?? []).args.filter((a) => !opts.detached || a !== "--exit-with-parent");
    return execa(process.execPath, args, {
      detached: opts.detached,
      cleanup: !opts.detached,
      // execa's types accept only literal descriptors; any open descriptor works at run time.
      stdio: [opts.detached ? "ignore" : "pipe", logFd as 3, logFd as 3],
      reject: false,
      buffer: false,
    });
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(logFd);
  }
}
