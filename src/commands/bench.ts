import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { EXIT_INVALID, EXIT_VALID } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { BENCH_FORMAT } from "../gate/load.js";
import { thisMachine } from "../gate/measurements.js";
import { calibrate, mergeCalibrations } from "../gate/calibrate.js";
import { runCompare } from "../../bench/compare.js";
import { runFailover } from "../../bench/failover.js";
import { benchHtml } from "../../bench/html.js";
import { scenarioFigures, summarizeFailover, throughputTable } from "../../bench/summary.js";
import { KIND_NAMES } from "../../clusters/index.js";
import { LOAD_OPS } from "../../clusters/kind.js";
import { benchKind } from "../../bench/cluster-factory.js";
import type { BenchOp } from "../../bench/throughput.js";
import { runThroughputSweep } from "../../bench/throughput.js";
import { action } from "./action.js";
import { registerBenchDetect } from "./bench-detect.js";
import { choiceList, integerIn, integerList, parsedOption, positiveNumber } from "./flags.js";

const NODES_MAX = 9;
const CONNECTIONS_MAX = 1024;
const PAYLOAD_BYTES_MAX = 1 << 20;
const DURATION_S_MAX = 600;

/** A fresh output folder: never overwrite an earlier bench. */
function outDir(base: string, kind: string): string {
  const dir = join(base, `bench-${kind}`, new Date().toISOString().replace(/[:.]/g, "-"));
  if (existsSync(dir)) throw new InputError(`${dir} exists; not overwriting it`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const log = (line: string) => process.stdout.write(line + "\n");

interface ThroughputFlags {
  cluster: string[];
  nodes: number[];
  ops: BenchOp[];
  connections: number[];
  payload: number[];
  pipelining: number[];
  raftInflight?: number[];
  raftBatch?: number[];
  raftArgs?: string;
  duration: number;
  trials: number;
  rate?: number;
  out: string;
}

/** Node flags for every node of our cluster, e.g. "--max-batch 1" (a regression to gate on). */
function raftArgs(text: string | undefined): string[] {
  return text === undefined ? [] : text.split(/\s+/).filter((w) => w.length > 0);
}

async function throughput(flags: ThroughputFlags): Promise<number> {
  const clusters = flags.cluster;
  const kinds = await Promise.all(
    clusters.map((c) =>
      benchKind(c).catch((err: Error) => {
        throw new InputError(`--cluster ${c}: ${err.message}`);
      }),
    ),
  );
  for (const k of kinds) if (!k.load) throw new InputError(`--cluster ${k.name}: it offers no HTTP load requests to benchmark`);
  /** The node flags that set a tuning knob, from the first chosen kind that has it. */
  const knob = (name: string, value: number): string[] => {
    const set = kinds.find((k) => k.knobs?.[name])?.knobs?.[name];
    if (!set) throw new InputError(`no chosen cluster (${clusters.join(", ")}) has the tuning knob ${name}`);
    return set(value);
  };
  const common = raftArgs(flags.raftArgs);
  const knobs = [{ label: "default", args: common }];
  for (const inflight of flags.raftInflight ?? []) {
    knobs.push({ label: `inflight${inflight}`, args: [...common, ...knob("inflight", inflight)] });
  }
  for (const batch of flags.raftBatch ?? []) {
    knobs.push({ label: `batch${batch}`, args: [...common, ...knob("batch", batch)] });
  }
  const sweep = {
    clusters,
    nodeCounts: flags.nodes,
    ops: flags.ops,
    connections: flags.connections,
    payloadBytes: flags.payload,
    pipelining: flags.pipelining,
    knobs,
    durationSec: flags.duration,
    trials: flags.trials,
    overallRatePerSec: flags.rate,
  };
  const dir = outDir(flags.out, "throughput");
  // The machine's rates before and after the sweep: the gate's controls for this run.
  const before = await calibrate(dir);
  const results = await runThroughputSweep(sweep, dir, log);
  const calibration = mergeCalibrations(before, await calibrate(dir));
  const bench = {
    format: BENCH_FORMAT,
    machine: thisMachine(),
    kind: "throughput",
    sweep,
    calibration,
    scenarios: Object.fromEntries(results.map((r) => [r.name, scenarioFigures(r, results)])),
    results,
  };
  writeFileSync(join(dir, "bench.json"), JSON.stringify(bench, null, 2) + "\n");
  writeFileSync(join(dir, "bench.html"), await benchHtml("tob bench throughput", results));
  log("\n" + throughputTable(results));
  log(`\nwrote ${join(dir, "bench.json")} and bench.html`);
  return EXIT_VALID;
}

interface FailoverFlags {
  cluster: string;
  nodes: number;
  trials: number;
  writers: number;
  out: string;
}

async function failover(flags: FailoverFlags): Promise<number> {
  const dir = outDir(flags.out, "failover");
  const result = await runFailover(
    {
      cluster: flags.cluster,
      nodes: flags.nodes,
      trials: flags.trials,
      writers: flags.writers,
      settleMs: 1_500,
      trialTimeoutMs: 20_000,
    },
    dir,
    log,
  );
  const summary = summarizeFailover(result);
  const verdict = result.lostWrites === 0 && summary.failedTrials === 0;
  const bench = {
    format: BENCH_FORMAT,
    machine: thisMachine(),
    kind: "failover",
    scenarios: {},
    verdicts: { [`failover ${result.cluster} no acknowledged write lost`]: result.lostWrites === 0 },
    summary,
    result,
  };
  writeFileSync(join(dir, "bench.json"), JSON.stringify(bench, null, 2) + "\n");
  log(
    `\n${result.cluster} failover over ${result.trials.length} trials: new leader median ${summary.newLeaderMsMedian.toFixed(0)} ms (p90 ${summary.newLeaderMsP90.toFixed(0)}, max ${summary.newLeaderMsMax.toFixed(0)}); ` +
      `first ack median ${summary.firstAckMsMedian.toFixed(0)} ms (p90 ${summary.firstAckMsP90.toFixed(0)}, max ${summary.firstAckMsMax.toFixed(0)})`,
  );
  log(
    `${result.ackedWrites} acknowledged writes read back; lost: ${result.lostWrites}${result.lostExamples.length ? " e.g. " + result.lostExamples.join("; ") : ""}`,
  );
  log(`wrote ${join(dir, "bench.json")}`);
  return verdict ? EXIT_VALID : EXIT_INVALID;
}

interface CompareFlags {
  nodes: number;
  connections: number;
  payload: number;
  duration: number;
  rounds: number;
  failoverTrials: number;
  raftArgs?: string;
  out?: string;
}

async function compare(flags: CompareFlags): Promise<number> {
  const dir = flags.out ?? outDir("results", "compare");
  mkdirSync(dir, { recursive: true });
  if (existsSync(join(dir, "compare.json"))) throw new InputError(`${join(dir, "compare.json")} exists; not overwriting it`);
  const result = await runCompare(
    {
      nodes: flags.nodes,
      connections: flags.connections,
      payloadBytes: flags.payload,
      durationSec: flags.duration,
      rounds: flags.rounds,
      failoverTrials: flags.failoverTrials,
      raftArgs: raftArgs(flags.raftArgs),
    },
    dir,
    log,
  );
  const scenarios: Record<string, ReturnType<typeof scenarioFigures>> = {};
  for (const s of result.scenarios) {
    const figures = scenarioFigures(s, result.scenarios);
    const prior = scenarios[s.name];
    scenarios[s.name] = prior
      ? {
          ...figures,
          throughputPerSec: [...prior.throughputPerSec, ...figures.throughputPerSec],
          latencyMsP99: [...prior.latencyMsP99, ...figures.latencyMsP99],
        }
      : figures;
  }
  const lostWrites = result.failovers.reduce((n, f) => n + f.lostWrites, 0);
  writeFileSync(
    join(dir, "compare.json"),
    JSON.stringify(
      {
        format: BENCH_FORMAT,
        machine: thisMachine(),
        kind: "compare",
        throughputRatio: result.throughputRatio,
        p99Ratio: result.p99Ratio,
        failoverRatio: result.failoverRatio,
        targets: result.targets,
        met: result.met,
        raft: result.raft,
        etcd: result.etcd,
        calibration: result.calibration,
        scenarios,
        verdicts: { "compare no acknowledged write lost": lostWrites === 0 },
        throughputTrials: result.scenarios,
        failovers: result.failovers,
      },
      null,
      2,
    ) + "\n",
  );
  const mark = (ok: boolean) => (ok ? "met" : "NOT met");
  log(
    `\nthroughput ${Math.round(result.raft.throughputPerSec)}/s vs etcd ${Math.round(result.etcd.throughputPerSec)}/s: ratio ${result.throughputRatio.toFixed(2)} (target >= ${result.targets.throughputRatioMin}, ${mark(result.met.throughput)})`,
  );
  log(
    `p99 ${result.raft.latencyMsP99.toFixed(1)} ms vs etcd ${result.etcd.latencyMsP99.toFixed(1)} ms: ratio ${result.p99Ratio.toFixed(2)} (target <= ${result.targets.p99RatioMax}, ${mark(result.met.p99)})`,
  );
  log(
    `failover (kill -> first ack, median) ${result.raft.failover.firstAckMsMedian.toFixed(0)} ms vs etcd ${result.etcd.failover.firstAckMsMedian.toFixed(0)} ms: ratio ${result.failoverRatio.toFixed(2)} (target <= ${result.targets.failoverMsMedianMax} ms, ${mark(result.met.failover)})`,
  );
  log(`acknowledged writes lost: ${lostWrites}`);
  log(`wrote ${join(dir, "compare.json")}`);
  return lostWrites === 0 ? EXIT_VALID : EXIT_INVALID;
}

export function registerBench(program: Command): void {
  const bench = program.command("bench").description("benchmarks: throughput sweeps, failover, ours against etcd");
  bench
    .command("throughput")
    .description("sweep connections, payload and cluster size with autocannon against the leader's HTTP API")
    .addOption(
      parsedOption(
        "--cluster <list>",
        `registered kinds, comma-separated (${KIND_NAMES.join(", ")})`,
        choiceList(KIND_NAMES),
        ["raft"],
        "raft",
      ),
    )
    .addOption(parsedOption("--nodes <list>", "cluster sizes", integerList(1, NODES_MAX), [3], "3"))
    .addOption(
      parsedOption<BenchOp[]>(
        "--ops <list>",
        `operations: ${LOAD_OPS.join(", ")}`,
        choiceList(LOAD_OPS),
        ["put", "broadcast", "read"],
        "put,broadcast,read",
      ),
    )
    .addOption(
      parsedOption("--connections <list>", "concurrent connections", integerList(1, CONNECTIONS_MAX), [1, 16, 64, 256], "1,16,64,256"),
    )
    .addOption(parsedOption("--payload <list>", "value sizes in bytes", integerList(1, PAYLOAD_BYTES_MAX), [100], "100"))
    .addOption(parsedOption("--pipelining <list>", "HTTP requests in flight per connection", integerList(1, 64), [1], "1"))
    .addOption(parsedOption("--raft-inflight <list>", "also sweep our AppendEntries pipelining depth", integerList(1, 1024)))
    .addOption(parsedOption("--raft-batch <list>", "also sweep our entries-per-AppendEntries batch bound", integerList(1, 65536)))
    .option("--raft-args <flags>", 'node flags for every node of our cluster (e.g. "--max-batch 1")')
    .addOption(parsedOption("--duration <s>", "seconds per trial", positiveNumber(DURATION_S_MAX), 5))
    .addOption(parsedOption("--trials <n>", "trials per scenario (the gate uses their median)", integerIn(1, 50), 1))
    .addOption(
      parsedOption("--rate <perSec>", "open loop: offer this many requests per second (default: closed loop)", positiveNumber(1e6)),
    )
    .option("--out <dir>", "results folder", "results")
    .action(action(throughput));
  bench
    .command("failover")
    .description("SIGKILL the leader under steady writes, N times; time to a new leader and to the first acknowledged write")
    .addOption(new Option("--cluster <name>", "a registered kind").choices(KIND_NAMES).default("raft"))
    .addOption(parsedOption("--nodes <n>", "cluster size", integerIn(3, NODES_MAX), 3))
    .addOption(parsedOption("--trials <n>", "kills", integerIn(1, 100), 5))
    .addOption(parsedOption("--writers <n>", "concurrent writers", integerIn(1, 256), 8))
    .option("--out <dir>", "results folder", "results")
    .action(action(failover));
  bench
    .command("compare")
    .description("ours and etcd alternately under the same load, fsync on for both; writes OUT/compare.json")
    .addOption(parsedOption("--nodes <n>", "cluster size", integerIn(1, NODES_MAX), 3))
    .addOption(parsedOption("--connections <n>", "connections", integerIn(1, CONNECTIONS_MAX), 64))
    .addOption(parsedOption("--payload <bytes>", "value size", integerIn(1, PAYLOAD_BYTES_MAX), 100))
    .addOption(parsedOption("--duration <s>", "seconds per throughput trial", positiveNumber(DURATION_S_MAX), 5))
    .addOption(parsedOption("--rounds <n>", "alternating rounds", integerIn(1, 20), 3))
    .addOption(parsedOption("--failover-trials <n>", "kills per system", integerIn(1, 50), 5))
    .option("--raft-args <flags>", "node flags for every node of our cluster")
    .option("--out <dir>", "output folder (default results/bench-compare/<time>)")
    .action(action(compare));
  registerBenchDetect(bench);
}
