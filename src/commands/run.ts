/**
 * `tob run`: the main job. Starts a cluster, drives a workload under a
 * nemesis, records the history, checks it, and exits with the verdict.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Command, Option } from "commander";
import { WORKLOAD_NAMES, findWorkload } from "../../workloads/index.js";
import { exitCodeForVerdict } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { FAULT_NAMES, FAULTS } from "../nemesis/faults.js";
import { summaryScreen } from "../controller/screen.js";
import { kindOf, plantedBugs } from "../controller/clusters.js";
import { defaultFaults, DURATION_S_DEFAULT, INTERVAL_S_DEFAULT, staleReadFaults } from "../controller/defaults.js";
import { NETS, type RunSpec, SPEC_MAX, type TestJson, validateSpec } from "../controller/spec.js";
import { addClusterOptions, type ClusterFlags, clusterSpec } from "./cluster-flags.js";
import { runTest } from "../controller/test-run.js";
import { writeReports } from "../report/index.js";
import { action } from "./action.js";
import { integerIn, nemesisList, numberIn, parsedOption, positiveNumber, oneOf, repeated, seed } from "./flags.js";
import { PLANTED_BUGS } from "../../clusters/index.js";

interface RunFlags extends ClusterFlags {
  workload: string;
  nodes: number;
  nemesis?: string[];
  time: number;
  recovery: number;
  concurrency: number;
  rate: number;
  seed?: number;
  out: string;
  bug: string[];
  net: string;
  nemesisInterval?: number;
  nemesisDuration?: number;
  opTimeout: number;
  replay?: string;
}

export function registerRun(program: Command): void {
  const run = program
    .command("run")
    .description("run a workload against a cluster under faults, record the history, check it; exit code = verdict")
    .showHelpAfterError("(tob run --help lists every flag, workload and fault)")
    .addOption(new Option("--workload <name>", "what the clients do").choices(WORKLOAD_NAMES).default("register"));
  addClusterOptions(run)
    .addOption(parsedOption("--nodes <n>", "cluster size", integerIn(1, SPEC_MAX.nodes), 3))
    .addOption(
      parsedOption(
        "--nemesis <faults>",
        "comma-separated faults, or none (default: the workload's, or with --bug the faults that expose it); a+b runs b from a's midpoint",
        nemesisList,
      ),
    )
    .addOption(parsedOption("--time <s>", "seconds of load and faults", positiveNumber(SPEC_MAX.time), 30))
    .addOption(parsedOption("--recovery <s>", "seconds of quiet load after the final heal (liveness)", numberIn(0, SPEC_MAX.recoveryS), 5))
    .addOption(parsedOption("--concurrency <n>", "client processes", integerIn(1, SPEC_MAX.concurrency), 5))
    .addOption(parsedOption("--rate <ops/s>", "client ops per second, all processes together", positiveNumber(SPEC_MAX.rate), 200))
    .addOption(parsedOption("--seed <n>", "fixes every generator and fault decision (default: random, recorded in test.json)", seed))
    .option("--out <dir>", "results folder", "results")
    .addOption(parsedOption("--bug <name>", bugHelp(), repeated(oneOf(KNOWN_BUGS)), [], "none"))
    .addOption(new Option("--net <backend>", "network fault backend: proxy (no privileges) or netns (root)").choices(NETS).default("proxy"))
    .addOption(
      parsedOption(
        "--nemesis-interval <s>",
        `seconds from one fault's start to the next's (default: ${INTERVAL_S_DEFAULT}, or what the bug or read mode needs)`,
        positiveNumber(SPEC_MAX.nemesisIntervalS),
      ),
    )
    .addOption(
      parsedOption(
        "--nemesis-duration <s>",
        `seconds each fault lasts (default: ${DURATION_S_DEFAULT}, or what the bug or read mode needs)`,
        positiveNumber(SPEC_MAX.nemesisDurationS),
      ),
    )
    .addOption(
      parsedOption("--op-timeout <ms>", "an op unanswered this long is recorded as info", positiveNumber(SPEC_MAX.opTimeoutMs), 5000),
    )
    .option("--replay <run-dir>", "repeat a stored run's spec, seed and fault schedule")
    .addHelpText(
      "after",
      `\nFaults (one at a time, every --nemesis-interval s, each for --nemesis-duration s; "a+b": b starts at a's midpoint):\n` +
        `${FAULT_NAMES.map((n) => `  ${n.padEnd(18)} ${FAULTS[n]?.about}`).join("\n")}\n`,
    )
    .action(action(async (flags: RunFlags) => runCommand(flags)));
}

/** Every registered kind's planted bugs: a typo is refused at once, a bug of another kind by the kind check. */
const KNOWN_BUGS = [...new Set(PLANTED_BUGS.map((b) => b.name))];

function bugHelp(): string {
  const byKind = new Map<string, string[]>();
  for (const b of PLANTED_BUGS) byKind.set(b.kind, [...(byKind.get(b.kind) ?? []), b.name]);
  const lines = [...byKind].map(([kind, names]) => `${kind}: ${names.join(", ")}`);
  return `build a known failure into the cluster (repeatable; ${lines.join("; ")})`;
}

async function runCommand(flags: RunFlags): Promise<number> {
  const replay = flags.replay ? readReplay(flags.replay) : undefined;
  const spec = replay ? replay.test.spec : await specOf(flags);
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

/** The spec the flags give; what they leave out comes from the workload, and from the kind's plans for its bugs and read mode. */
async function specOf(flags: RunFlags): Promise<RunSpec> {
  const workload = findWorkload(flags.workload);
  const cluster = clusterSpec(flags);
  const kind = await kindOf(cluster);
  const plan = defaultFaults(workload?.defaultNemesis ?? [], plantedBugs(kind, flags.bug), staleReadFaults(kind, flags.reads));
  return {
    name: flags.workload,
    workload: flags.workload,
    ...cluster,
    nodes: flags.nodes,
    nemesis: flags.nemesis ?? [...plan.nemesis],
    time: flags.time,
    recoveryS: flags.recovery,
    concurrency: flags.concurrency,
    rate: flags.rate,
    seed: flags.seed ?? Math.floor(Math.random() * 2 ** 31),
    bugs: flags.bug,
    net: flags.net as RunSpec["net"],
    nemesisIntervalS: flags.nemesisInterval ?? plan.intervalS,
    nemesisDurationS: flags.nemesisDuration ?? plan.durationS,
    opTimeoutMs: flags.opTimeout,
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
