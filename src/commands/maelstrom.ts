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
import { MAELSTROM_DEFAULTS as D, type MaelstromSpec, runMaelstrom } from "../controller/maelstrom-run.js";
import { exitCodeForVerdict } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { FAULT_NAMES } from "../nemesis/faults.js";
import { writeReports } from "../report/index.js";
import { action } from "./action.js";
import { countOrPerNode, integerIn, nemesisList, numberIn, type PerNodeCount, parsedOption, seed } from "./flags.js";

interface TestFlags {
  workload: string;
  bin: string;
  nodeCount: number;
  timeLimit: number;
  rate: number;
  concurrency: PerNodeCount;
  latency: number;
  latencyDist: string;
  nemesis: string[];
  nemesisInterval: number;
  nemesisDuration: number;
  topology: string;
  keyCount: number;
  maxTxnLength: number;
  maxWritesPerKey: number;
  logStderr: boolean;
  recovery: number;
  timeout: number;
  initTimeout: number;
  seed?: number;
  out: string;
}

const WORKLOAD_NAMES = MAELSTROM_WORKLOADS.map((w) => w.name);
const NODES_MAX = 100;
const CONCURRENCY_MAX = 1000;

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
    .addOption(parsedOption("--node-count <n>", "nodes", integerIn(1, NODES_MAX), 1))
    .addOption(parsedOption("--time-limit <s>", "seconds of load", numberIn(0.1, 24 * 3600), 10))
    .addOption(parsedOption("--rate <ops/s>", "client requests per second, all clients together", numberIn(0.01, 100_000), 5))
    .addOption(
      parsedOption(
        "--concurrency <n>",
        "client processes: a number, or Nn for N per node",
        countOrPerNode(CONCURRENCY_MAX),
        { count: 1, perNode: true },
        "1n",
      ),
    )
    .addOption(parsedOption("--latency <ms>", "mean message latency", numberIn(0, 60_000), D.latencyMs))
    .addOption(new Option("--latency-dist <dist>", "how latencies are drawn").choices(LATENCY_DISTS).default(D.latencyDist))
    .addOption(
      parsedOption(
        "--nemesis <faults>",
        `comma-separated faults, or none (partition, kill, pause, and tob's: ${FAULT_NAMES.join(", ")})`,
        nemesisList,
        [],
        "none",
      ),
    )
    .addOption(parsedOption("--nemesis-interval <s>", "seconds from one fault's start to the next's", numberIn(0.1, 3600), 4))
    .addOption(parsedOption("--nemesis-duration <s>", "seconds each fault lasts", numberIn(0.1, 3600), 2))
    .addOption(
      new Option("--topology <kind>", "broadcast: who each node is told its neighbours are").choices(TOPOLOGIES).default(D.topology),
    )
    .addOption(parsedOption("--key-count <n>", "keys in play at once (lin-kv, txn-*)", integerIn(1, 10_000), D.keyCount))
    .addOption(parsedOption("--max-txn-length <n>", "micro-ops per transaction at most", integerIn(1, 1_000), D.maxTxnLength))
    .addOption(
      parsedOption(
        "--max-writes-per-key <n>",
        "writes a key gets before a fresh one replaces it",
        integerIn(1, 100_000),
        D.maxWritesPerKey,
      ),
    )
    .option("--log-stderr", "copy the nodes' stderr to ours (it always goes to nodes/<id>.log)", D.logStderr)
    .addOption(parsedOption("--recovery <s>", "seconds of load after the final heal", numberIn(0, 3600), 2))
    .addOption(parsedOption("--timeout <ms>", "a request unanswered this long is info (indefinite)", integerIn(1, 3_600_000), 5000))
    .addOption(
      parsedOption("--init-timeout <ms>", "a node that has not answered init by then fails the start", integerIn(1, 3_600_000), 10000),
    )
    .addOption(parsedOption("--seed <n>", "fixes every generator, latency and fault decision (default: random, in test.json)", seed))
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
  const nodes = flags.nodeCount;
  const nemesis = flags.nemesis;
  const spec: MaelstromSpec = {
    name: `maelstrom-${flags.workload}`,
    workload: flags.workload,
    cluster: "maelstrom",
    bin: flags.bin,
    args,
    nodes,
    nemesis,
    time: flags.timeLimit,
    recoveryS: flags.recovery,
    concurrency: concurrencyOf(flags.concurrency, nodes),
    rate: flags.rate,
    seed: flags.seed ?? Math.floor(Math.random() * 2 ** 31),
    latencyMs: flags.latency,
    latencyDist: flags.latencyDist as MaelstromSpec["latencyDist"],
    topology: flags.topology as MaelstromSpec["topology"],
    keyCount: flags.keyCount,
    maxTxnLength: flags.maxTxnLength,
    maxWritesPerKey: flags.maxWritesPerKey,
    logStderr: flags.logStderr,
    nemesisIntervalS: flags.nemesisInterval,
    nemesisDurationS: flags.nemesisDuration,
    opTimeoutMs: flags.timeout,
    initTimeoutMs: flags.initTimeout,
  };
  return spec;
}

/** "5" → 5; "2n" → 2 per node. */
function concurrencyOf(c: PerNodeCount, nodes: number): number {
  const n = c.perNode ? Math.ceil(c.count * nodes) : c.count;
  if (n > CONCURRENCY_MAX) throw new InputError(`--concurrency ${c.count}n on ${nodes} nodes is ${n} clients, above ${CONCURRENCY_MAX}`);
  return n;
}
