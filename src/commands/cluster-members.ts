import { rmSync } from "node:fs";
import { statuses } from "../../clusters/api/leader.js";
import { changeMembership, type MemberChangeOutcome } from "../../clusters/api/members.js";
import { MEMBER_ID, MEMBER_ID_RULE } from "../../clusters/raft/node/config.js";
import { logTail, planNodes, spawnNode, writeNodeConfig } from "../../clusters/raft/node/launch.js";
import { EXIT_ENVIRONMENT, EXIT_INPUT, EXIT_UNKNOWN, EXIT_VALID, EnvironmentError } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { type ClusterFile, type ClusterFileNode, isOurNode, readClusterFile, stopNodes, writeClusterFile } from "./cluster-file.js";

/**
 * `tob cluster add|remove --dir DIR [--node ID]`: one single-server membership
 * change against the running cluster in DIR, through its leader. A refusal
 * (e.g. it would lose the quorum) prints the leader's reason and exits 2, and
 * nothing changed; a change whose outcome is unknown exits 3.
 */

/** The leader has this long to take the change and commit it (an election may come first). */
const CHANGE_TIMEOUT_MS = 15_000;
/** A new node must answer within this long of its start. */
const NODE_START_TIMEOUT_MS = 10_000;

export async function addMember(dir: string, idFlag: string | undefined): Promise<number> {
  const file = readClusterFile(dir);
  const running = file.nodes.filter(isOurNode);
  if (running.length === 0) throw new InputError(`no node of the cluster in ${dir} is running; run tob cluster start --dir ${dir} first`);
  const id = idFlag ?? nextId(file);
  if (!MEMBER_ID.test(id)) throw new InputError(`--node must be ${MEMBER_ID_RULE}, got ${JSON.stringify(id)}`);
  const same = file.nodes.find((n) => n.id === id);
  if (same && isOurNode(same)) throw new InputError(`--node ${id}: it already runs in ${dir} (pid ${same.pid}); remove it first`);
  const [spec] = await planNodes(dir, [id]);
  if (!spec) throw new Error("planNodes returned no node");
  // A new member starts empty: whatever a former member of that name left is not its state.
  rmSync(spec.dataDir, { recursive: true, force: true });
  writeNodeConfig(spec, [...running, spec], {}, undefined, true);
  const proc = spawnNode(spec, { detached: true });
  if (proc.pid === undefined) throw new EnvironmentError(`could not spawn ${id}; see ${spec.logFile}`);
  proc.unref();
  const node: ClusterFileNode = {
    id,
    pid: proc.pid,
    httpUrl: spec.httpUrl,
    peerAddr: spec.peerAddr,
    configFile: spec.configFile,
    logFile: spec.logFile,
  };
  await waitForAnswer(node);
  process.stdout.write(`started ${id} (pid ${node.pid}, http ${node.httpUrl}, peer ${node.peerAddr}); asking the leader to add it...\n`);
  const r = await changeMembership(running, { op: "add", id, peer: spec.peerAddr, http: spec.httpUrl }, CHANGE_TIMEOUT_MS);
  if (r.kind === "ok" || r.kind === "unknown") {
    // Recorded even in doubt: it may be a member, and `stop` must end it.
    writeClusterFile(dir, { ...file, nodes: [...file.nodes.filter((n) => n.id !== id), node] });
  } else {
    await stopNodes([node]);
  }
  return report(r, `added ${id}`);
}

export async function removeMember(dir: string, id: string | undefined): Promise<number> {
  if (id === undefined) throw new InputError("tob cluster remove needs --node ID, the member to remove");
  const file = readClusterFile(dir);
  const node = file.nodes.find((n) => n.id === id);
  if (!node) throw new InputError(`--node ${id}: no such node in ${dir} (nodes: ${file.nodes.map((n) => n.id).join(", ") || "none"})`);
  const running = file.nodes.filter(isOurNode);
  const r = await changeMembership(running, { op: "remove", id }, CHANGE_TIMEOUT_MS);
  if (r.kind === "ok") {
    // No longer a member: its process has nothing left to do.
    await stopNodes([node]);
    writeClusterFile(dir, { ...file, nodes: file.nodes.filter((n) => n !== node) });
  }
  return report(r, `removed ${id}`);
}

/** One line for the outcome, and its exit code. */
function report(r: MemberChangeOutcome, what: string): number {
  switch (r.kind) {
    case "ok":
      process.stdout.write(`${what} (log index ${r.index}); voters: ${[...r.voters].sort().join(", ")}\n`);
      return EXIT_VALID;
    case "refused":
      process.stderr.write(`tob: refused, nothing changed: ${r.detail}\n`);
      return EXIT_INPUT;
    case "invalid":
      process.stderr.write(`tob: the node rejected the request: ${r.detail}\n`);
      return EXIT_INPUT;
    case "unavailable":
      process.stderr.write(`tob: no leader took the change within ${CHANGE_TIMEOUT_MS} ms, nothing changed: ${r.detail}\n`);
      return EXIT_ENVIRONMENT;
    case "unknown":
      process.stderr.write(`tob: the outcome is unknown (it may or may not have happened; see tob cluster status): ${r.detail}\n`);
      return EXIT_UNKNOWN;
  }
}

/** The first n<k> not taken. */
function nextId(file: ClusterFile): string {
  const taken = new Set(file.nodes.map((n) => n.id));
  for (let k = 1; k <= file.nodes.length + 1; k++) if (!taken.has(`n${k}`)) return `n${k}`;
  throw new Error("unreachable: k ran past the node count");
}

async function waitForAnswer(node: ClusterFileNode): Promise<void> {
  const deadline = Date.now() + NODE_START_TIMEOUT_MS;
  for (;;) {
    const [s] = await statuses([node]);
    if (s) return;
    if (!isOurNode(node) || Date.now() > deadline) {
      await stopNodes([node]);
      throw new EnvironmentError(`${node.id} did not start; log tail (${node.logFile}):\n${logTail(node.logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
