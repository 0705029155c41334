import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
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
import { choiceList, integerList, positiveNumber } from "./flags.js";

/** A fresh output folder: never overwrite an earlier bench. */
function outDir(base: string, kind: string): string {
  const dir = join(base, `bench-${kind}`, new Date().toISOString().replace(/[:.]/g, "-"));
  if (existsSync(dir)) throw new InputError(`${dir} exists; not overwriting it`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const log = (line: string) => process.stdout.write(line + "\n");

interface ThroughputFlags {
  cluster: string;
  nodes: string;
  ops: string;
  connections: string;
  payload: string;
  pipelining: string;
  raftInflight?: string;
  raftBatch?: string;
  raftArgs?: string;
  duration: string;
  trials: string;
  rate?: string;
  out: string;
}

/** Node flags for every node of our cluster, e.g. "--max-batch 1" (a regression to gate on). */
function raftArgs(text: string | undefined): string[] {
  return text === undefined ? [] : text.split(/\s+/).filter((w) => w.length > 0);
}

async function throughput(flags: ThroughputFlags): Promise<number> {
  const clusters = choiceList("--cluster", flags.cluster, KIND_NAMES);
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
  for (const inflight of flags.raftInflight ? integerList("--raft-inflight", flags.raftInflight, 1, 1024) : []) {
    knobs.push({ label: `inflight${inflight}`, args: [...common, ...knob("inflight", inflight)] });
  }
  for (const batch of flags.raftBatch ? integerList("--raft-batch", flags.raftBatch, 1, 65536) : []) {
    knobs.push({ label: `batch${batch}`, args: [...common, ...knob("batch", batch)] });
  }
  const sweep = {
    clusters,
    nodeCounts: integerList("--nodes", flags.nodes, 1, 9),
    ops: choiceList<BenchOp>("--ops", flags.ops, LOAD_OPS),
    connections: integerList("--connections", flags.connections, 1, 1024),
    payloadBytes: integerList("--payload", flags.payload, 1, 1 << 20),
    pipelining: integerList("--pipelining", flags.pipelining, 1, 64),
    knobs,
    durationSec: positiveNumber("--duration", flags.duration, 600),
    trials: integerList("--trials", flags.trials, 1, 50)[0]!,
    overallRatePerSec: flags.rate ? positiveNumber("--rate", flags.rate, 1e6) : undefined,
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
  nodes: string;
  trials: string;
  writers: string;
  out: string;
}

async function failover(flags: FailoverFlags): Promise<number> {
  const [cluster] = choiceList("--cluster", flags.cluster, KIND_NAMES);
  const dir = outDir(flags.out, "failover");
  const result = await runFailover(
    {
      cluster: cluster!,
      nodes: integerList("--nodes", flags.nodes, 3, 9)[0]!,
      trials: integerList("--trials", flags.trials, 1, 100)[0]!,
      writers: integerList("--writers", flags.writers, 1, 256)[0]!,
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
  nodes: string;
  connections: string;
  payload: string;
  duration: string;
  rounds: string;
  failoverTrials: string;
  raftArgs?: string;
  out?: string;
}

async function compare(flags: CompareFlags): Promise<number> {
  const dir = flags.out ?? outDir("results", "compare");
  mkdirSync(dir, { recursive: true });
  if (existsSync(join(dir, "compare.json"))) throw new InputError(`${join(dir, "compare.json")} exists; not overwriting it`);
  const result = await runCompare(
    {
      nodes: integerList("--nodes", flags.nodes, 1, 9)[0]!,
      connections: integerList("--connections", flags.connections, 1, 1024)[0]!,
      payloadBytes: integerList("--payload", flags.payload, 1, 1 << 20)[0]!,
      durationSec: positiveNumber("--duration", flags.duration, 600),
      rounds: integerList("--rounds", flags.rounds, 1, 20)[0]!,
      failoverTrials: integerList("--failover-trials", flags.failoverTrials, 1, 50)[0]!,
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
    .option("--cluster <list>", `registered kinds, comma-separated (${KIND_NAMES.join(", ")})`, "raft")
    .option("--nodes <list>", "cluster sizes", "3")
    .option("--ops <list>", `operations: ${LOAD_OPS.join(", ")}`, "put,broadcast,read")
    .option("--connections <list>", "concurrent connections", "1,16,64,256")
    .option("--payload <list>", "value sizes in bytes", "100")
    .option("--pipelining <list>", "HTTP requests in flight per connection", "1")
    .option("--raft-inflight <list>", "also sweep our AppendEntries pipelining depth")
    .option("--raft-batch <list>", "also sweep our entries-per-AppendEntries batch bound")
    .option("--raft-args <flags>", 'node flags for every node of our cluster (e.g. "--max-batch 1")')
    .option("--duration <s>", "seconds per trial", "5")
    .option("--trials <n>", "trials per scenario (the gate uses their median)", "1")
    .option("--rate <perSec>", "open loop: offer this many requests per second (default: closed loop)")
    .option("--out <dir>", "results folder", "results")
    .action(action(throughput));
  bench
    .command("failover")
    .description("SIGKILL the leader under steady writes, N times; time to a new leader and to the first acknowledged write")
    .option("--cluster <name>", `a registered kind (${KIND_NAMES.join(", ")})`, "raft")
    .option("--nodes <n>", "cluster size", "3")
    .option("--trials <n>", "kills", "5")
    .option("--writers <n>", "concurrent writers", "8")
    .option("--out <dir>", "results folder", "results")
    .action(action(failover));
  bench
    .command("compare")
    .description("ours and etcd alternately under the same load, fsync on for both; writes OUT/compare.json")
    .option("--nodes <n>", "cluster size", "3")
    .option("--connections <n>", "connections", "64")
    .option("--payload <bytes>", "value size", "100")
    .option("--duration <s>", "seconds per throughput trial", "5")
    .option("--rounds <n>", "alternating rounds", "3")
    .option("--failover-trials <n>", "kills per system", "5")
    .option("--raft-args <flags>", "node flags for every node of our cluster")
    .option("--out <dir>", "output folder (default results/bench-compare/<time>)")
    .action(action(compare));
  registerBenchDetect(bench);
}
