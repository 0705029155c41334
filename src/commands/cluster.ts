import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { Argument, type Command } from "commander";
import { EXIT_ENVIRONMENT, EXIT_INVALID, EXIT_VALID } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { action } from "./action.js";
import { integerIn, parsedOption } from "./flags.js";
import { ApiClient } from "../../clusters/api/client.js";
import { leaderOf, STATUS_TIMEOUT_MS, servingLeader, statuses, waitForLeader } from "../../clusters/api/leader.js";
import { type ClusterFile, clusterFilePath, isOurNode, readClusterFile, stopNodes, writeClusterFile } from "./cluster-file.js";
import { addMember, removeMember } from "./cluster-members.js";
import { logTail, nodeIds, planNodes, spawnNode, writeNodeConfig } from "../../clusters/raft/node/launch.js";

/**
 * `tob cluster start|status|stop|add|remove --dir DIR`: a Raft cluster of
 * detached node processes that outlive the command. DIR/cluster.json records
 * what was started (and added), so `stop` ends exactly those processes and
 * nothing else. add and remove change the membership (./cluster-members.ts).
 */

const NODES_MAX = 9;
const ACTIONS = ["start", "status", "stop", "add", "remove"] as const;
const START_TIMEOUT_MS = 15_000;

async function start(dir: string, count: number): Promise<number> {
  if (existsSync(clusterFilePath(dir))) {
    const running = readClusterFile(dir).nodes.filter(isOurNode);
    if (running.length > 0) {
      throw new InputError(
        `a cluster is already running in ${dir} (pids ${running.map((n) => n.pid).join(", ")}); run tob cluster stop --dir ${dir} first`,
      );
    }
  }
  mkdirSync(dir, { recursive: true });
  const specs = await planNodes(dir, nodeIds(count));
  for (const spec of specs) writeNodeConfig(spec, specs, {});
  const file: ClusterFile = { kind: "raft", startedAt: new Date().toISOString(), nodes: [] };
  for (const spec of specs) {
    const proc = spawnNode(spec, { detached: true });
    if (proc.pid === undefined) throw new Error(`could not spawn ${spec.id}; see ${spec.logFile}`);
    // Detached and unreferenced: the node runs on after this command exits.
    proc.unref();
    file.nodes.push({
      id: spec.id,
      pid: proc.pid,
      httpUrl: spec.httpUrl,
      peerAddr: spec.peerAddr,
      configFile: spec.configFile,
      logFile: spec.logFile,
    });
  }
  // Written before waiting, so `stop` can end these processes even if the start fails.
  writeClusterFile(dir, file);
  process.stdout.write(`started ${count} nodes in ${dir}; waiting for a leader...\n`);
  try {
    const leader = await waitForLeader(servingLeader(file.nodes), START_TIMEOUT_MS, () => {
      const dead = file.nodes.find((n) => !isOurNode(n));
      if (dead) throw new Error(`${dead.id} exited; log tail (${dead.logFile}):\n${logTail(dead.logFile)}`);
    });
    process.stdout.write(`leader: ${leader}\n`);
  } catch (err) {
    process.stderr.write(`tob: cluster did not start: ${(err as Error).message}\n`);
    await stopNodes(file.nodes);
    return EXIT_ENVIRONMENT;
  }
  for (const n of file.nodes) process.stdout.write(`  ${n.id}  pid ${n.pid}  http ${n.httpUrl}  peer ${n.peerAddr}\n`);
  process.stdout.write(`wrote ${clusterFilePath(dir)}\n`);
  return EXIT_VALID;
}

async function status(dir: string): Promise<number> {
  const file = readClusterFile(dir);
  const all = await statuses(file.nodes);
  file.nodes.forEach((n, i) => {
    const s = all[i];
    const alive = isOurNode(n) ? "running" : "not running";
    const detail = s
      ? `${s.role.padEnd(9)} term ${s.term}  leader ${s.leader ?? "-"}  commit ${s.commitIndex}  applied ${s.appliedIndex}`
      : "no answer";
    process.stdout.write(`${n.id}  pid ${n.pid} (${alive})  ${n.httpUrl}  ${detail}\n`);
  });
  const leader = leaderOf(all);
  process.stdout.write(leader ? `leader: ${leader.id} (term ${leader.term})\n` : "no leader\n");
  const leaderNode = file.nodes.find((n) => n.id === leader?.id);
  const client = leaderNode ? new ApiClient(leaderNode.id, leaderNode.httpUrl, STATUS_TIMEOUT_MS) : null;
  const members = await client?.members();
  await client?.close();
  if (members?.type === "ok") {
    const voters = members.value.members.map((m) => m.id).sort();
    process.stdout.write(`voters: ${voters.join(", ")}${members.value.pending ? " (a change is in flight)" : ""}\n`);
  }
  return leader ? EXIT_VALID : EXIT_INVALID;
}

async function stop(dir: string): Promise<number> {
  await stopNodes(readClusterFile(dir).nodes);
  return EXIT_VALID;
}

export function registerCluster(program: Command): void {
  program
    .command("cluster")
    .description("start, inspect or stop a local Raft cluster of detached node processes")
    .addArgument(new Argument("<action>", "what to do").choices(ACTIONS))
    .requiredOption("--dir <dir>", "folder for data, logs and cluster.json")
    .addOption(parsedOption("--nodes <n>", "members (start only)", integerIn(1, NODES_MAX), 3))
    .option("--node <id>", "the member to add (default: the first free n<k>) or to remove")
    .action(
      action(async (what: (typeof ACTIONS)[number], flags: { dir: string; nodes: number; node?: string }) => {
        const dir = resolve(flags.dir);
        if (what === "start") return start(dir, flags.nodes);
        if (what === "status") return status(dir);
        if (what === "add") return addMember(dir, flags.node);
        if (what === "remove") return removeMember(dir, flags.node);
        return stop(dir);
      }),
    );
}
