/**
 * `tob bench detect`: detection power as a figure (bench/detect.ts). Writes
 * OUT/bench-detect/<time>/detect.json and prints one line per run and a
 * summary: caught/N, median time to the first anomaly, false positives.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { runDetect, type ArmSummary } from "../../bench/detect.js";
import { EXIT_INVALID, EXIT_VALID } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { thisMachine } from "../gate/measurements.js";
import { PLANTED_BUGS } from "../../clusters/index.js";
import { action } from "./action.js";
import { integerIn, integerList, oneOf, parsedOption, positiveNumber, repeated } from "./flags.js";

interface DetectFlags {
  bug: string[];
  reads?: string;
  seeds: number;
  seedList?: number[];
  time: number;
  parallel: number;
  control: boolean;
  runTimeout: number;
  out: string;
}

/** The format of detect.json; a reader checks it before trusting the fields. */
export const DETECT_FORMAT = "tob-bench-detect/1";
const SEEDS_MAX = 1000;
const BUG_NAMES = [...new Set(PLANTED_BUGS.map((b) => b.name))];

async function detect(flags: DetectFlags, command: Command): Promise<number> {
  const passThrough = command.args;
  if (flags.bug.length === 0 && !flags.reads)
    throw new InputError("say what to detect: --bug NAME (our cluster) or --reads MODE (a real system's weak read mode)");
  if (flags.reads === "linearizable")
    throw new InputError("--reads linearizable is the strong mode: give the weak one (e.g. serializable)");
  const seeds = flags.seedList ?? randomSeeds(flags.seeds);
  const { time, parallel } = flags;

  // The bug's own workload unless the run flags name one.
  const workloadGiven = passThrough.some((a) => a === "--workload" || a.startsWith("--workload="));
  const bugWorkload = PLANTED_BUGS.find((b) => b.name === flags.bug[0])?.workload;
  const runArgs = [...(workloadGiven || !bugWorkload ? [] : ["--workload", bugWorkload]), "--time", String(time), ...passThrough];
  const weakArgs = flags.bug.length ? flags.bug.flatMap((b) => ["--bug", b]) : ["--reads", flags.reads as string];
  const strongArgs = flags.bug.length ? [] : ["--reads", "linearizable"];

  const dir = join(flags.out, "bench-detect", new Date().toISOString().replace(/[:.]/g, "-"));
  if (existsSync(dir)) throw new InputError(`${dir} exists; not overwriting it`);
  mkdirSync(dir, { recursive: true });
  const log = (line: string) => process.stdout.write(line + "\n");
  const label = [...flags.bug.map((b) => `--bug ${b}`), ...(flags.reads ? [`--reads ${flags.reads}`] : [])].join(" ");
  log(
    `tob bench detect: ${label}; tob run ${runArgs.join(" ")}; ${seeds.length} seeds${flags.control ? ", then the control without it" : ""}`,
  );
  const result = await runDetect(
    { runArgs, weakArgs, strongArgs, seeds, control: flags.control, parallel, dir, runTimeoutMs: flags.runTimeout * 1000 },
    log,
  );
  const json = {
    format: DETECT_FORMAT,
    machine: thisMachine(),
    kind: "detect",
    detect: { bugs: flags.bug, reads: flags.reads ?? null, runArgs, weakArgs, strongArgs, nemesis: result.nemesis, time, seeds },
    bug: result.bug,
    control: result.control,
  };
  writeFileSync(join(dir, "detect.json"), JSON.stringify(json, null, 2) + "\n");
  log(`\n${line("with it", result.bug.summary)}`);
  if (result.control) log(`${line("control", result.control.summary)} (false positives: ${result.control.summary.invalid})`);
  log(`wrote ${join(dir, "detect.json")}`);
  // Exit 1 when the control found something: a false positive is a bug of ours.
  return result.control && result.control.summary.invalid > 0 ? EXIT_INVALID : EXIT_VALID;
}

function line(name: string, s: ArmSummary): string {
  const median = s.firstAnomalySMedian === null ? "-" : `${s.firstAnomalySMedian.toFixed(1)} s`;
  const extra = [s.unknown ? `${s.unknown} unknown` : "", s.errors ? `${s.errors} errors` : ""].filter(Boolean).join(", ");
  return `${name}: invalid in ${s.invalid}/${s.runs} (${(s.fraction * 100).toFixed(0)}%), median time to first anomaly ${median}${extra ? `; ${extra}` : ""}`;
}

/** Random seeds, printed and stored, so any run can be repeated with --seed. */
function randomSeeds(n: number): number[] {
  return Array.from({ length: n }, () => Math.floor(Math.random() * 2 ** 31));
}

/** Registered under `tob bench`. */
export function registerBenchDetect(bench: Command): void {
  bench
    .command("detect")
    .description(
      "detection power: run a workload with a planted bug (or a weak read mode) over N seeds, and the same without it; fraction caught, time to the first anomaly, false positives",
    )
    .usage("[options] [-- tob run flags]")
    .addOption(parsedOption("--bug <name>", `a planted bug (${BUG_NAMES.join(", ")}); repeatable`, repeated(oneOf(BUG_NAMES)), [], "none"))
    .option(
      "--reads <mode>",
      "instead: a weak read mode, e.g. serializable (with -- --cluster etcd --net netns) or local (our raft); the control reads linearizable",
    )
    .addOption(parsedOption("--seeds <n>", "random seeds", integerIn(1, SEEDS_MAX), 10))
    .addOption(
      parsedOption("--seed-list <list>", "these seeds instead (comma-separated)", integerList(0, Number.MAX_SAFE_INTEGER, SEEDS_MAX)),
    )
    .addOption(parsedOption("--time <s>", "each run's --time", positiveNumber(3600), 20))
    .addOption(parsedOption("--parallel <n>", "runs at once (each is a whole cluster)", integerIn(1, 8), 1))
    .option("--no-control", "skip the control runs without the bug")
    .addOption(parsedOption("--run-timeout <s>", "end a run that takes longer, counted as an error", positiveNumber(24 * 3600), 300))
    .option("--out <dir>", "results folder", "results")
    .allowExcessArguments(true)
    .action(action((flags: DetectFlags, command: Command) => detect(flags, command)));
}
