import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import type { Verdict } from "../../checkers/verdict.js";
import { EnvironmentError } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { loadCurrent } from "./load.js";
import type { Measurements } from "./measurements.js";
import { compareSamples, type AbComparison, type Direction } from "./stats.js";
import { cliOf } from "./trees.js";

/**
 * A/B gating: the base and the candidate run the same benchmark alternately, round
 * after round, in the same job, so that whatever the machine does (a noisy
 * neighbour, a slow disk) hits both alike. Each figure is then decided by a
 * permutation test over the rounds, with an effect size and its interval:
 * a regression must be both significant and larger than the smallest change worth
 * failing a build for. Anything else is "within noise" and passes.
 */

export interface AbOptions {
  baseTree: string;
  candidateTree: string;
  rounds: number;
  /** Arguments to `tob bench throughput` for both sides. */
  benchArgs: string[];
  /** Extra arguments for one side only (e.g. a planted slowdown in a test). */
  baseArgs: string[];
  candidateArgs: string[];
  /** Confidence level of each decision and interval, e.g. 0.95. */
  confidence: number;
  /** The smallest changes that fail: a throughput drop and a p99 rise, as fractions. */
  minThroughputDrop: number;
  minP99Rise: number;
  outDir: string;
  log: (line: string) => void;
}

export const DEFAULT_AB_BENCH_ARGS = [
  "--cluster",
  "raft",
  "--nodes",
  "3",
  "--ops",
  "put",
  "--connections",
  "64",
  "--duration",
  "3",
  "--trials",
  "1",
];

/** One bench run never takes longer than this; a hung one is killed and reported. */
const RUN_TIMEOUT_MS = 5 * 60_000;

export type AbDecision = "regressed" | "within-noise" | "improved";

export interface AbFigure {
  scenario: string;
  metric: "throughputPerSec" | "latencyMsP99";
  base: number[];
  candidate: number[];
  comparison: AbComparison;
  /** The level the p-value was held to: 1 - confidence, split over every figure (Bonferroni). */
  alpha: number;
  decision: AbDecision;
  message: string;
}

export interface AbOutcome {
  passed: boolean;
  rounds: number;
  figures: AbFigure[];
  /** The candidate's verdicts from its bench runs: any false fails the gate. */
  candidateVerdicts: Record<string, Verdict>;
}

type Side = "base" | "candidate";

async function runSide(opts: AbOptions, side: Side, round: number): Promise<Measurements> {
  const tree = side === "base" ? opts.baseTree : opts.candidateTree;
  const out = join(opts.outDir, `round${round + 1}-${side}`);
  mkdirSync(out, { recursive: true });
  const args = [
    cliOf(tree),
    "bench",
    "throughput",
    ...opts.benchArgs,
    ...(side === "base" ? opts.baseArgs : opts.candidateArgs),
    "--out",
    out,
  ];
  const result = await execa(process.execPath, args, { cwd: tree, reject: false, all: true, stdin: "ignore", timeout: RUN_TIMEOUT_MS });
  const benchDir = join(out, "bench-throughput");
  const runs = existsSync(benchDir) ? readdirSync(benchDir) : [];
  if (result.exitCode !== 0 || runs.length !== 1) {
    const tail = String(result.all ?? "")
      .trim()
      .split("\n")
      .slice(-12)
      .join("\n");
    throw new EnvironmentError(
      `A/B round ${round + 1}: the ${side} bench (${tree}) failed with exit ${result.exitCode ?? "killed"}:\n${tail}`,
    );
  }
  return loadCurrent(join(benchDir, runs[0]!));
}

const DIRECTIONS: Record<AbFigure["metric"], Direction> = { throughputPerSec: "higher-is-better", latencyMsP99: "lower-is-better" };

function percent(fraction: number): string {
  return `${fraction >= 0 ? "+" : ""}${(fraction * 100).toFixed(1)}%`;
}

function decide(opts: AbOptions, figure: Omit<AbFigure, "decision" | "message">): AbFigure {
  const { comparison, metric, alpha } = figure;
  const worse = metric === "throughputPerSec" ? -comparison.change : comparison.change;
  const minEffect = metric === "throughputPerSec" ? opts.minThroughputDrop : opts.minP99Rise;
  // The interval, turned so that positive is worse: an improvement must clear zero entirely.
  const [low, high] = comparison.changeInterval;
  const worseIntervalHigh = metric === "throughputPerSec" ? -low : high;
  let decision: AbDecision = "within-noise";
  if (comparison.pWorse < alpha && worse > minEffect) decision = "regressed";
  else if (worse < -minEffect && worseIntervalHigh < 0) decision = "improved";
  const label = metric === "throughputPerSec" ? "throughput" : "p99";
  const message =
    `${figure.scenario}: ${label} ${percent(comparison.change)} ` +
    `(${(comparison.confidence * 100).toFixed(0)}% interval ${percent(low)} to ${percent(high)}; ` +
    `p=${comparison.pWorse.toFixed(4)} for "worse", alpha ${alpha.toFixed(4)}; fails beyond ${percent(metric === "throughputPerSec" ? -minEffect : minEffect)}): ${decision}`;
  return { ...figure, decision, message };
}

export async function runAb(opts: AbOptions): Promise<AbOutcome> {
  if (opts.rounds < 4) throw new InputError(`--rounds must be at least 4 for a permutation test to decide anything, got ${opts.rounds}`);
  const samples: Record<Side, Measurements[]> = { base: [], candidate: [] };
  for (let round = 0; round < opts.rounds; round++) {
    // ABBA order: neither side always runs first, so a drift within a round cancels.
    const order: Side[] = round % 2 === 0 ? ["base", "candidate"] : ["candidate", "base"];
    for (const side of order) {
      opts.log(`round ${round + 1}/${opts.rounds}: ${side}`);
      samples[side].push(await runSide(opts, side, round));
    }
  }
  const scenarios = Object.keys(samples.base[0]!.scenarios).filter((name) =>
    samples.candidate.every((m) => m.scenarios[name] !== undefined),
  );
  if (scenarios.length === 0) throw new InputError("A/B: the base and the candidate measured no scenario in common; check --bench-args");
  const alpha = (1 - opts.confidence) / (scenarios.length * 2);
  const figures: AbFigure[] = [];
  for (const scenario of scenarios) {
    for (const metric of ["throughputPerSec", "latencyMsP99"] as const) {
      const pick = (side: Side) => samples[side].map((m) => m.scenarios[scenario]![metric][0]!);
      const base = pick("base");
      const candidate = pick("candidate");
      const comparison = compareSamples(base, candidate, DIRECTIONS[metric], opts.confidence);
      figures.push(decide(opts, { scenario, metric, base, candidate, comparison, alpha }));
    }
  }
  const candidateVerdicts: Record<string, Verdict> = Object.assign({}, ...samples.candidate.map((m) => m.verdicts));
  const passed = figures.every((f) => f.decision !== "regressed") && Object.values(candidateVerdicts).every((v) => v !== false);
  return { passed, rounds: opts.rounds, figures, candidateVerdicts };
}
