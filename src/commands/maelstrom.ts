/**
 * `tob maelstrom test`: Maelstrom's command line, so that an existing
 * `maelstrom test -w broadcast --bin ./node ...` works with `tob` in its
 * place; no JVM. The result is a normal run folder and the exit code is the
 * verdict.
 */
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { LATENCY_DISTS } from "../../clusters/maelstrom/latency.js";
import { MAELSTROM_WORKLOADS } from "../../workloads/maelstrom/index.js";
import { TOPOLOGIES } from "../../workloads/maelstrom/workload.js";
import { summaryScreen } from "../controller/screen.js";
import { type MaelstromSpec, runMaelstrom } from "../controller/maelstrom-run.js";
import { parseNemesis } from "../controller/spec.js";
import { exitCodeForVerdict } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { FAULT_NAMES, faultParts } from "../nemesis/faults.js";
import { writeReports } from "../report/index.js";
import { action } from "./action.js";
import { integerIn, numberIn } from "./flags.js";

interface TestFlags {
  workload: string;
  bin: string;
  nodeCount: string;
  timeLimit: string;
  rate: string;
  concurrency: string;
  latency: string;
  latencyDist: string;
  nemesis: string;
  nemesisInterval: string;
  nemesisDuration: string;
  topology: string;
  keyCount: string;
  maxTxnLength: string;
  maxWritesPerKey: string;
  logStderr: boolean;
  recovery: string;
  timeout: string;
  initTimeout: string;
  seed?: string;
  out: string;
}

const WORKLOAD_NAMES = MAELSTROM_WORKLOADS.map((w) => w.name);
const NODES_MAX = 100;

export function registerMaelstrom(program: Command): void {
  const maelstrom = program
    .command("maelstrom")
    .description("run Maelstrom-protocol nodes (JSON on stdin/stdout) under tob: Maelstrom's command line, no JVM");
  maelstrom
    .command("test")
    .description("run a Maelstrom workload against your nodes; exit code = verdict")
    .argument("[args...]", "arguments for --bin (after -- if they start with -)")
    .showHelpAfterError("(tob maelstrom test --help lists every flag)")
    .addOption(new Option("-w, --workload <name>", "what the clients do").choices(WORKLOAD_NAMES).makeOptionMandatory())
    .requiredOption("--bin <path>", "the node program; each node is one process of it")
    .option("--node-count <n>", "nodes", "1")
    .option("--time-limit <s>", "seconds of load", "10")
    .option("--rate <ops/s>", "client requests per second, all clients together", "5")
    .option("--concurrency <n>", "client processes: a number, or Nn for N per node", "1n")
    .option("--latency <ms>", "mean message latency", "0")
    .addOption(new Option("--latency-dist <dist>", "how latencies are drawn").choices(LATENCY_DISTS).default("constant"))
    .option("--nemesis <faults>", `comma-separated faults, or none (partition, kill, pause, and tob's: ${FAULT_NAMES.join(", ")})`, "none")
    .option("--nemesis-interval <s>", "seconds from one fault's start to the next's", "4")
    .option("--nemesis-duration <s>", "seconds each fault lasts", "2")
    .addOption(new Option("--topology <kind>", "broadcast: who each node is told its neighbours are").choices(TOPOLOGIES).default("grid"))
    .option("--key-count <n>", "keys in play at once (lin-kv, txn-*)", "3")
    .option("--max-txn-length <n>", "micro-ops per transaction at most", "4")
    .option("--max-writes-per-key <n>", "writes a key gets before a fresh one replaces it", "16")
    .option("--log-stderr", "copy the nodes' stderr to ours (it always goes to nodes/<id>.log)", false)
    .option("--recovery <s>", "seconds of load after the final heal", "2")
    .option("--timeout <ms>", "a request unanswered this long is info (indefinite)", "5000")
    .option("--init-timeout <ms>", "a node that has not answered init by then fails the start", "10000")
    .option("--seed <n>", "fixes every generator, latency and fault decision (default: random, in test.json)")
    .option("--out <dir>", "results folder", "results")
    .action(action(async (args: string[], flags: TestFlags) => testCommand(args, flags)));
}

async function testCommand(args: string[], flags: TestFlags): Promise<number> {
  const spec = specOf(args, flags);
  const outDir = resolve(flags.out);
  const outcome = await runMaelstrom(spec, { outDir, log: (line) => process.stderr.write(`tob maelstrom: ${line}\n`) });
  let reportHtml: string | null = null;
  try {
    reportHtml = (await writeReports(outcome.runDir)).reportHtml;
  } catch (err) {
    process.stderr.write(`tob maelstrom: the report could not be written: ${(err as Error).message}\n`);
  }
  // The screen is tob run's; its replay line names tob run, which cannot repeat this run.
  process.stdout.write(summaryScreen(outcome.runDir, outcome.test, outcome.results, reportHtml).replace(/^ {2}replay .*\n/m, ""));
  const net = outcome.results.results.net;
  if (net) {
    process.stdout.write(
      `messages: ${String(net.servers)} between nodes (${String(net["servers-msgs-per-op"])} per op), ${String(net.dropped)} dropped by faults, ${String(net.bad)} bad\n`,
    );
  }
  return exitCodeForVerdict(outcome.results.valid);
}

function specOf(args: string[], flags: TestFlags): MaelstromSpec {
  const nodes = integerIn("--node-count", flags.nodeCount, 1, NODES_MAX);
  const nemesis = parseNemesis(flags.nemesis);
  for (const f of nemesis) {
    for (const part of faultParts(f))
      if (!FAULT_NAMES.includes(part))
        throw new InputError(`--nemesis ${JSON.stringify(part)} is not known; valid: ${FAULT_NAMES.join(", ")}`);
  }
  const spec: MaelstromSpec = {
    name: `maelstrom-${flags.workload}`,
    workload: flags.workload,
    cluster: "maelstrom",
    bin: flags.bin,
    args,
    nodes,
    nemesis,
    time: numberIn("--time-limit", flags.timeLimit, 0.1, 24 * 3600),
    recoveryS: numberIn("--recovery", flags.recovery, 0, 3600),
    concurrency: concurrencyOf(flags.concurrency, nodes),
    rate: numberIn("--rate", flags.rate, 0.01, 100_000),
    seed: flags.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : integerIn("--seed", flags.seed, 0, Number.MAX_SAFE_INTEGER),
    latencyMs: numberIn("--latency", flags.latency, 0, 60_000),
    latencyDist: flags.latencyDist as MaelstromSpec["latencyDist"],
    topology: flags.topology as MaelstromSpec["topology"],
    keyCount: integerIn("--key-count", flags.keyCount, 1, 10_000),
    maxTxnLength: integerIn("--max-txn-length", flags.maxTxnLength, 1, 1_000),
    maxWritesPerKey: integerIn("--max-writes-per-key", flags.maxWritesPerKey, 1, 100_000),
    logStderr: flags.logStderr,
    nemesisIntervalS: numberIn("--nemesis-interval", flags.nemesisInterval, 0.1, 3600),
    nemesisDurationS: numberIn("--nemesis-duration", flags.nemesisDuration, 0.1, 3600),
    opTimeoutMs: integerIn("--timeout", flags.timeout, 1, 3_600_000),
    initTimeoutMs: integerIn("--init-timeout", flags.initTimeout, 1, 3_600_000),
  };
  return spec;
}

/** "5" → 5; "2n" → 2 per node. */
function concurrencyOf(text: string, nodes: number): number {
  const m = /^(\d+(?:\.\d+)?)n$/.exec(text.trim());
  const n = m ? Math.ceil(Number(m[1]) * nodes) : Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new InputError(`--concurrency must be an integer in [1, 1000] or Nn (N per node), got ${JSON.stringify(text)}`);
  return n;
}
