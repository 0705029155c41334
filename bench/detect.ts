/**
 * Detection power: how often a default run catches a known bug. One `tob run`
 * per seed with the bug (a planted `--bug`, or a real system's weak mode such as
 * etcd's serializable reads), and a control run per seed without it under the
 * same faults: the fraction judged invalid is the power, the control's invalid
 * runs are false positives. Each run is the built CLI in a child process, so
 * the figure is what a user gets from the same command line.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { median } from "../src/gate/measurements.js";
import { distPath } from "../src/paths.js";
import { findWorkload } from "../workloads/index.js";
import type { Op } from "../src/history/op.js";
import { firstAnomalyNs } from "./first-anomaly.js";

export interface DetectOptions {
  /** `tob run` flags shared by both arms (workload, cluster, net, time, ...). */
  runArgs: string[];
  /** Flags that make the run weak: ["--bug", "stale-reads"], or a weak read mode. */
  weakArgs: string[];
  /** The same flags made strong for the control arm ([] for a planted bug). */
  strongArgs: string[];
  seeds: number[];
  control: boolean;
  /** Runs at once: each is a whole cluster, so 1 on a small machine. */
  parallel: number;
  /** Each run's folder goes under here. */
  dir: string;
  /** A run that takes longer than this is ended and counted as an error. */
  runTimeoutMs: number;
}

export interface SeedRun {
  seed: number;
  /** tob run's exit code: 0 valid, 1 invalid, 3 unknown, anything else an error. */
  exitCode: number;
  valid: true | false | "unknown" | null;
  /** Checkers that judged the run invalid. */
  failed: string[];
  /** Seconds from the run's start to the earliest op a failing checker cites as evidence. */
  firstAnomalyS: number | null;
  wallS: number;
  runDir: string | null;
  /** The run's stderr tail when it ended in an error. */
  error?: string;
}

export interface ArmSummary {
  runs: number;
  invalid: number;
  valid: number;
  unknown: number;
  errors: number;
  /** invalid / runs. */
  fraction: number;
  firstAnomalySMedian: number | null;
}

export interface DetectResult {
  nemesis: string[];
  bug: { runs: SeedRun[]; summary: ArmSummary };
  control: { runs: SeedRun[]; summary: ArmSummary } | null;
}

export async function runDetect(o: DetectOptions, log: (line: string) => void): Promise<DetectResult> {
  const bugRuns = await eachSeed(o, "bug", o.weakArgs, log);
  // The control takes the faults the bug run resolved, so only the bug differs.
  const faults = resolvedFaults(bugRuns);
  const nemesis = faults?.nemesis ?? [];
  const controlArgs = [...o.strongArgs, ...(faults ? faultArgs(faults, o.runArgs) : [])];
  const controlRuns = o.control ? await eachSeed(o, "control", controlArgs, log) : null;
  return {
    nemesis,
    bug: { runs: bugRuns, summary: summarize(bugRuns) },
    control: controlRuns ? { runs: controlRuns, summary: summarize(controlRuns) } : null,
  };
}

async function eachSeed(o: DetectOptions, arm: "bug" | "control", armArgs: string[], log: (line: string) => void): Promise<SeedRun[]> {
  const out: SeedRun[] = new Array(o.seeds.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < o.seeds.length; i = next++) {
      const seed = o.seeds[i] as number;
      const r = await oneRun(o, join(o.dir, arm, String(seed)), [...o.runArgs, ...armArgs, "--seed", String(seed)], seed);
      out[i] = r;
      const anomaly = r.firstAnomalyS === null ? "" : `, first anomaly at ${r.firstAnomalyS.toFixed(1)} s`;
      log(
        `${arm} seed ${seed}: ${verdictWord(r)}${r.failed.length ? ` (${r.failed.join(", ")})` : ""}${anomaly} [${r.wallS.toFixed(0)} s]`,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.parallel, o.seeds.length) }, worker));
  return out;
}

async function oneRun(o: DetectOptions, out: string, args: string[], seed: number): Promise<SeedRun> {
  const started = Date.now();
  const r = await execa(process.execPath, [distPath("src/cli.js"), "run", "--out", out, ...args], {
    reject: false,
    timeout: o.runTimeoutMs,
    stdin: "ignore",
  });
  const wallS = (Date.now() - started) / 1000;
  const runDir = latestRunDir(out);
  const exitCode = r.exitCode ?? -1;
  const base = { seed, exitCode, wallS, runDir };
  const resultsPath = runDir ? join(runDir, "results.json") : null;
  if (exitCode > 3 || exitCode < 0 || exitCode === 2 || !resultsPath || !existsSync(resultsPath)) {
    const tail =
      String(r.stderr).trim().split("\n").slice(-5).join("\n") ||
      (r.timedOut ? `timed out after ${o.runTimeoutMs} ms` : `exit ${exitCode}`);
    return { ...base, valid: null, failed: [], firstAnomalyS: null, error: tail };
  }
  const results = JSON.parse(readFileSync(resultsPath, "utf8")) as {
    valid: true | false | "unknown";
    results: Record<string, { valid: unknown }>;
  };
  const failing = Object.entries(results.results).filter(([, c]) => c.valid === false);
  const firstNs = failing.length ? await firstAnomalyOf(runDir as string, failing) : null;
  return { ...base, valid: results.valid, failed: failing.map(([name]) => name), firstAnomalyS: firstNs === null ? null : firstNs / 1e9 };
}

/** The run folder `tob run --out` made, through its `latest` link. */
function latestRunDir(out: string): string | null {
  const latest = join(out, "latest");
  return existsSync(join(latest, "test.json")) ? latest : null;
}

/**
 * The first anomaly of a stored run: its workload's failing checkers on
 * prefixes of its history (./first-anomaly.ts); the controller's own checkers
 * (recovery, perf) count by the ops they cite.
 */
async function firstAnomalyOf(runDir: string, failing: [string, unknown][]): Promise<number | null> {
  const history = readFileSync(join(runDir, "history.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Op);
  const test = JSON.parse(readFileSync(join(runDir, "test.json"), "utf8")) as {
    spec: { workload: string; seed: number; concurrency: number };
    nodeIds: string[];
  };
  const checkers =
    findWorkload(test.spec.workload)?.make({ seed: test.spec.seed, nodes: test.nodeIds, concurrency: test.spec.concurrency }).checkers ??
    [];
  return firstAnomalyNs(
    history,
    failing.map(([name, result]) => ({ checker: checkers.find((c) => c.name === name) ?? null, result })),
  );
}

interface ResolvedFaults {
  nemesis: string[];
  nemesisIntervalS: number;
  nemesisDurationS: number;
}

/** The faults a bug run chose (from its test.json), when any run got that far. */
function resolvedFaults(runs: readonly SeedRun[]): ResolvedFaults | null {
  for (const r of runs) {
    if (!r.runDir) continue;
    return (JSON.parse(readFileSync(join(r.runDir, "test.json"), "utf8")) as { spec: ResolvedFaults }).spec;
  }
  return null;
}

/** The flags that give a run those faults, except those the user gave for both arms. */
function faultArgs(f: ResolvedFaults, runArgs: readonly string[]): string[] {
  const out: string[] = [];
  const add = (flag: string, value: string) => {
    if (!hasFlag(runArgs, flag)) out.push(flag, value);
  };
  add("--nemesis", f.nemesis.join(",") || "none");
  add("--nemesis-interval", String(f.nemesisIntervalS));
  add("--nemesis-duration", String(f.nemesisDurationS));
  return out;
}

export function summarize(runs: readonly SeedRun[]): ArmSummary {
  const count = (p: (r: SeedRun) => boolean) => runs.filter(p).length;
  const firsts = runs.map((r) => r.firstAnomalyS).filter((t): t is number => t !== null);
  const invalid = count((r) => r.valid === false);
  return {
    runs: runs.length,
    invalid,
    valid: count((r) => r.valid === true),
    unknown: count((r) => r.valid === "unknown"),
    errors: count((r) => r.valid === null),
    fraction: runs.length ? invalid / runs.length : 0,
    firstAnomalySMedian: firsts.length ? median(firsts) : null,
  };
}

function hasFlag(args: readonly string[], flag: string): boolean {
  return args.some((a) => a === flag || a.startsWith(`${flag}=`));
}

function verdictWord(r: SeedRun): string {
  if (r.valid === null) return `ERROR (exit ${r.exitCode}: ${r.error?.split("\n").pop() ?? ""})`;
  return r.valid === true ? "valid" : r.valid === false ? "INVALID" : "unknown";
}
