import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../history/input-error.js";

/**
 * DIR/cluster.json of `tob cluster`: what was started (and added) in DIR, so
 * that status, add, remove and stop act on exactly those processes.
 */

const STOP_GRACE_MS = 3_000;

export interface ClusterFileNode {
  id: string;
  pid: number;
  httpUrl: string;
  peerAddr: string;
  configFile: string;
  logFile: string;
}

export interface ClusterFile {
  kind: "raft";
  startedAt: string;
  nodes: ClusterFileNode[];
}

export function clusterFilePath(dir: string): string {
  return join(dir, "cluster.json");
}

export function readClusterFile(dir: string): ClusterFile {
  const file = clusterFilePath(dir);
  if (!existsSync(file)) throw new InputError(`${file} not found: no cluster was started in ${dir}`);
  let parsed: ClusterFile;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8")) as ClusterFile;
  } catch (err) {
    throw new InputError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed.nodes) || parsed.nodes.some((n) => typeof n.id !== "string" || !Number.isSafeInteger(n.pid))) {
    throw new InputError(`${file}: "nodes" must list {id, pid, httpUrl, peerAddr, ...} entries`);
  }
  return parsed;
}

/** Whether `pid` is still the node process we started (a pid can be reused after exit). */
export function isOurNode(node: ClusterFileNode): boolean {
  try {
    process.kill(node.pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${node.pid}/cmdline`, "utf8").includes(node.configFile);
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after a grace period; only pids that are still our nodes. */
export async function stopNodes(nodes: ClusterFileNode[]): Promise<void> {
  const ours = nodes.filter(isOurNode);
  for (const n of ours) process.kill(n.pid, "SIGCONT"); // a paused node cannot act on SIGTERM
  for (const n of ours) process.kill(n.pid, "SIGTERM");
  const deadline = Date.now() + STOP_GRACE_MS;
  while (ours.some(isOurNode) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const n of ours.filter(isOurNode)) process.kill(n.pid, "SIGKILL");
  for (const n of nodes) process.stdout.write(`${n.id}  pid ${n.pid}  ${ours.includes(n) ? "stopped" : "was not running"}\n`);
}

export function writeClusterFile(dir: string, file: ClusterFile): void {
  writeFileSync(clusterFilePath(dir), JSON.stringify(file, null, 2) + "\n");
}
