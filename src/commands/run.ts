/**
 * `tob run`: the main job. Starts a cluster, drives a workload under a
 * nemesis, records the history, checks it, and exits with the verdict.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { WORKLOAD_NAMES, findWorkload } from "../../workloads/index.js";
import { exitCodeForVerdict } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { FAULT_NAMES, FAULTS } from "../nemesis/faults.js";
import { summaryScreen } from "../controller/screen.js";
import { defaultFaults, DURATION_S_DEFAULT, INTERVAL_S_DEFAULT } from "../controller/defaults.js";
import { BUGS, NETS, parseNemesis, type RunSpec, type TestJson, validateSpec } from "../controller/spec.js";
import { addClusterOptions, type ClusterFlags, clusterSpec } from "./cluster-flags.js";
import { runTest } from "../controller/test-run.js";
import { writeReports } from "../report/index.js";
import { action } from "./action.js";
import { finiteNumber } from "./flags.js";

interface RunFlags extends ClusterFlags {
  workload: string;
  nodes: string;
  nemesis?: string;
  time: string;
  recovery: string;
  concurrency: string;
  rate: string;
  seed?: string;
  out: string;
  bug: string[];
  net: string;
  nemesisInterval?: string;
  nemesisDuration?: string;
  opTimeout: string;
  replay?: string;
}

export function registerRun(program: Command): void {
  const run = program
    .command("run")
    .description("run a workload against a cluster under faults, record the history, check it; exit code = verdict")
    .showHelpAfterError("(tob run --help lists every flag, workload and fault)")
    .addOption(new Option("--workload <name>", "what the clients do").choices(WORKLOAD_NAMES).default("register"));
  addClusterOptions(run)
    .option("--nodes <n>", "cluster size", "3")
    .option(
      "--nemesis <faults>",
      "comma-separated faults, or none (default: the workload's, or with --bug the faults that expose it); a+b runs b from a's midpoint",
    )
    .option("--time <s>", "seconds of load and faults", "30")
    .option("--recovery <s>", "seconds of quiet load after the final heal (liveness)", "5")
    .option("--concurrency <n>", "client processes", "5")
    .option("--rate <ops/s>", "client ops per second, all processes together", "200")
    .option("--seed <n>", "fixes every generator and fault decision (default: random, recorded in test.json)")
    .option("--out <dir>", "results folder", "results")
    .addOption(
      new Option("--bug <name>", "build a known failure into our raft cluster (repeatable)").choices(BUGS).argParser(collect).default([]),
    )
    .addOption(new Option("--net <backend>", "network fault backend: proxy (no privileges) or netns (root)").choices(NETS).default("proxy"))
    .option(
      "--nemesis-interval <s>",
      `seconds from one fault's start to the next's (default: ${INTERVAL_S_DEFAULT}, or what the bug or read mode needs)`,
    )
    .option("--nemesis-duration <s>", `seconds each fault lasts (default: ${DURATION_S_DEFAULT}, or what the bug or read mode needs)`)
    .option("--op-timeout <ms>", "an op unanswered this long is recorded as info", "5000")
    .option("--replay <run-dir>", "repeat a stored run's spec, seed and fault schedule")
    .addHelpText(
      "after",
      `\nFaults (one at a time, every --nemesis-interval s, each for --nemesis-duration s; "a+b": b starts at a's midpoint):\n` +
        `${FAULT_NAMES.map((n) => `  ${n.padEnd(18)} ${FAULTS[n]?.about}`).join("\n")}\n`,
    )
    .action(action(async (flags: RunFlags) => runCommand(flags)));
}

function collect(value: string, previous: string[]): string[] {
  if (!(BUGS as readonly string[]).includes(value)) throw new InvalidArgumentError(`valid bugs: ${BUGS.join(", ")}`);
  return [...previous, value];
}

async function runCommand(flags: RunFlags): Promise<number> {
  const replay = flags.replay ? readReplay(flags.replay) : undefined;
  const spec = replay ? replay.test.spec : specOf(flags);
  validateSpec(spec, WORKLOAD_NAMES);
  const outDir = resolve(flags.out);
  // Ctrl-C ends the run where it is: the clean-up hooks kill the nodes and the
  // signal ends the controller. Everything observed is already in history.jsonl.
  const onSigint = () => {
    process.stderr.write(`\ntob run: interrupted; the history so far is kept: tob report ${join(flags.out, "latest")} checks it\n`);
    if (process.listenerCount("SIGINT") === 0) process.exit(130);
  };
  process.once("SIGINT", onSigint);
  try {
    const outcome = await runTest(spec, { outDir, replay, log: (line) => process.stderr.write(`tob run: ${line}\n`) });
    let reportHtml: string | null = null;
    try {
      reportHtml = (await writeReports(outcome.runDir)).reportHtml;
    } catch (err) {
      process.stderr.write(`tob run: the report could not be written: ${(err as Error).message}\n`);
    }
    process.stdout.write(summaryScreen(outcome.runDir, outcome.test, outcome.results, reportHtml));
    return exitCodeForVerdict(outcome.results.valid);
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
}

function specOf(flags: RunFlags): RunSpec {
  const workload = findWorkload(flags.workload);
  const bugs = flags.bug as RunSpec["bugs"];
  const plan = defaultFaults(workload?.defaultNemesis ?? [], bugs, flags.reads);
  const nemesis = flags.nemesis === undefined ? [...plan.nemesis] : parseNemesis(flags.nemesis);
  return {
    name: flags.workload,
    workload: flags.workload,
    ...clusterSpec(flags),
    nodes: finiteNumber("--nodes", flags.nodes),
    nemesis,
    time: finiteNumber("--time", flags.time),
    recoveryS: finiteNumber("--recovery", flags.recovery),
    concurrency: finiteNumber("--concurrency", flags.concurrency),
    rate: finiteNumber("--rate", flags.rate),
    seed: flags.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : finiteNumber("--seed", flags.seed),
    bugs,
    net: flags.net as RunSpec["net"],
    nemesisIntervalS: flags.nemesisInterval === undefined ? plan.intervalS : finiteNumber("--nemesis-interval", flags.nemesisInterval),
    nemesisDurationS: flags.nemesisDuration === undefined ? plan.durationS : finiteNumber("--nemesis-duration", flags.nemesisDuration),
    opTimeoutMs: finiteNumber("--op-timeout", flags.opTimeout),
  };
}

function readReplay(dir: string): { dir: string; test: TestJson } {
  const path = join(dir, "test.json");
  if (!existsSync(path)) throw new InputError(`--replay ${dir}: no test.json there`);
  let test: TestJson;
  try {
    test = JSON.parse(readFileSync(path, "utf8")) as TestJson;
  } catch (err) {
    throw new InputError(`--replay ${path}: not valid JSON (${(err as Error).message})`);
  }
  if (!test?.spec || !Array.isArray(test.schedule) || !Array.isArray(test.nodeIds)) {
    throw new InputError(`--replay ${path}: missing spec, schedule or nodeIds`);
  }
  return { dir, test };
}
