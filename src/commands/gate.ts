import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Command, Option } from "commander";
import { EXIT_INVALID, EXIT_VALID } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { action } from "./action.js";
import { DEFAULT_AB_BENCH_ARGS, runAb, type AbOutcome } from "../gate/ab.js";
import { COMPARE_MODES, compareMeasurements, DEFAULT_TOLERANCES, type CompareMode, type GateCheck } from "../gate/compare.js";
import { requireControls } from "../gate/controls.js";
import { toJunitXml, toMarkdown, type GateReport } from "../gate/junit.js";
import { loadBaseline, loadCurrent } from "../gate/load.js";
import { machineMismatch } from "../gate/measurements.js";
import { buildRefTree, requireBuiltTree } from "../gate/trees.js";
import { PACKAGE_ROOT } from "../paths.js";
import { integerIn, numberIn, parsedOption } from "./flags.js";

/**
 * `tob gate`, three ways (README, "The CI gate"):
 * - `--baseline FILE --current DIR`: figures relative to their controls measured in
 *   the same run (default), or absolute on the same machine kind;
 * - `--ab REF` (or `--ab-base DIR`): the base and the candidate alternately, decided
 *   by a permutation test over the rounds;
 * - `--write-baseline`: store the current folder's figures as the baseline.
 * Exit codes: 0 passed, 1 a regression or an invalid verdict, 2 bad input (a missing
 * or corrupt baseline, a current folder without the baseline's figures, a base ref
 * that does not build).
 */

interface GateFlags {
  baseline?: string;
  current?: string;
  compare: CompareMode;
  writeBaseline?: boolean;
  throughputTolerance: number;
  p99Tolerance: number;
  ab?: string;
  abBase?: string;
  abCandidate?: string;
  rounds: number;
  benchArgs?: string;
  baseArgs?: string;
  candidateArgs?: string;
  confidence: number;
  minThroughputDrop: number;
  minP99Rise: number;
  out?: string;
  junit?: string;
  summary?: string;
  json?: string;
}

function words(text: string | undefined): string[] {
  return text === undefined ? [] : text.split(/\s+/).filter((w) => w.length > 0);
}

function writeOutputs(report: GateReport, flags: GateFlags, detail: unknown): number {
  const markdown = toMarkdown(report);
  process.stdout.write(markdown);
  if (flags.junit) writeFileSync(flags.junit, toJunitXml(report));
  if (flags.summary) writeFileSync(flags.summary, markdown);
  if (flags.json) writeFileSync(flags.json, JSON.stringify({ ...report, detail }, null, 2) + "\n");
  return report.passed ? EXIT_VALID : EXIT_INVALID;
}

function baselineGate(flags: GateFlags): number {
  if (!flags.baseline) throw new InputError("--baseline FILE is required (or use --ab REF)");
  if (!flags.current) throw new InputError("--current DIR is required with --baseline");
  const current = loadCurrent(flags.current);
  if (flags.writeBaseline) {
    writeFileSync(flags.baseline, JSON.stringify(current, null, 2) + "\n");
    process.stdout.write(
      `wrote baseline ${flags.baseline}: ${Object.keys(current.verdicts).length} verdicts, ${Object.keys(current.scenarios).length} scenarios\n`,
    );
    return EXIT_VALID;
  }
  const mode = flags.compare;
  const baseline = loadBaseline(flags.baseline);
  const missing = Object.keys(baseline.scenarios).filter((name) => current.scenarios[name] === undefined);
  if (missing.length > 0) {
    throw new InputError(
      `--current ${flags.current} lacks the baseline's figures for ${missing.map((m) => JSON.stringify(m)).join(", ")}; run the same benchmark as the baseline`,
    );
  }
  requireControls(baseline, flags.baseline, current, flags.current);
  const mismatch = machineMismatch(baseline.machine, current.machine);
  if (mismatch !== null) {
    if (mode === "absolute")
      throw new InputError(
        `baseline ${flags.baseline} was measured on another machine kind (${mismatch}); absolute figures do not carry across machines: use --compare relative`,
      );
    process.stdout.write(`note: the baseline comes from another machine kind (${mismatch}); relative figures decide\n`);
  }
  const tolerances = {
    throughputDropFraction: flags.throughputTolerance,
    latencyP99RiseFraction: flags.p99Tolerance,
  };
  const outcome = compareMeasurements(baseline, current, mode, tolerances);
  const method = mode === "relative" ? "relative to each figure's control measured in the same run" : "as absolute figures";
  return writeOutputs(
    { passed: outcome.passed, method, baselineSource: flags.baseline, currentSource: flags.current, checks: outcome.checks },
    flags,
    outcome,
  );
}

function abChecks(outcome: AbOutcome): GateCheck[] {
  const checks: GateCheck[] = Object.entries(outcome.candidateVerdicts).map(([name, v]) => ({
    name,
    kind: "verdict" as const,
    passed: v !== false,
    message: `${name} is ${String(v)} in the candidate`,
  }));
  for (const f of outcome.figures) {
    checks.push({
      name: f.scenario,
      kind: f.metric === "throughputPerSec" ? "throughput" : "latency-p99",
      passed: f.decision !== "regressed",
      message: f.message,
    });
  }
  return checks;
}

async function abGate(flags: GateFlags): Promise<number> {
  if (flags.ab && flags.abBase) throw new InputError("give either --ab REF or --ab-base DIR, not both");
  const { rounds, confidence } = flags;
  const candidateTree = flags.abCandidate ? requireBuiltTree(flags.abCandidate, "--ab-candidate") : PACKAGE_ROOT;
  const outDir = resolve(flags.out ?? join("results", "gate-ab", new Date().toISOString().replace(/[:.]/g, "-")));
  mkdirSync(outDir, { recursive: true });
  const log = (line: string) => process.stdout.write(line + "\n");
  const exported = flags.ab ? join(outDir, "base-tree") : null;
  try {
    const baseTree = flags.ab
      ? await buildRefTree(flags.ab, process.cwd(), candidateTree, exported!, log)
      : requireBuiltTree(flags.abBase!, "--ab-base");
    const outcome = await runAb({
      baseTree,
      candidateTree,
      rounds,
      benchArgs: flags.benchArgs === undefined ? DEFAULT_AB_BENCH_ARGS : words(flags.benchArgs),
      baseArgs: words(flags.baseArgs),
      candidateArgs: words(flags.candidateArgs),
      confidence,
      minThroughputDrop: flags.minThroughputDrop,
      minP99Rise: flags.minP99Rise,
      outDir,
      log,
    });
    writeFileSync(join(outDir, "ab.json"), JSON.stringify(outcome, null, 2) + "\n");
    const method = `A/B over ${rounds} alternating rounds, permutation test at ${(confidence * 100).toFixed(0)}% confidence`;
    const baseSource = flags.ab ? `${flags.ab} (built in ${baseTree})` : baseTree;
    return writeOutputs(
      { passed: outcome.passed, method, baselineSource: baseSource, currentSource: candidateTree, checks: abChecks(outcome) },
      flags,
      outcome,
    );
  } finally {
    // The exported base is large (a build) and reproducible from its ref: do not keep it.
    if (exported) rmSync(exported, { recursive: true, force: true });
  }
}

async function gate(flags: GateFlags): Promise<number> {
  if (flags.ab || flags.abBase) {
    if (flags.baseline || flags.current) throw new InputError("--ab/--ab-base compares two builds; it takes no --baseline or --current");
    return abGate(flags);
  }
  return baselineGate(flags);
}

export function registerGate(program: Command): void {
  program
    .command("gate")
    .description(
      "fail CI on a regression: against a baseline (relative to controls) or A/B against a base commit; exit 0 passed, 1 regression or invalid verdict, 2 bad input",
    )
    .option("--baseline <file>", "baseline measurements (JSON, from --write-baseline)")
    .option("--current <dir>", "a tob run folder (results.json) or tob bench folder (bench.json, compare.json)")
    .addOption(
      new Option("--compare <mode>", "relative (to each figure's control, across machines) or absolute (same machine kind only)")
        .choices(COMPARE_MODES)
        .default("relative"),
    )
    .option("--write-baseline", "write the current figures as the baseline instead of comparing")
    .addOption(
      parsedOption(
        "--throughput-tolerance <fraction>",
        "allowed drop of median throughput",
        numberIn(0, 10),
        DEFAULT_TOLERANCES.throughputDropFraction,
      ),
    )
    .addOption(
      parsedOption(
        "--p99-tolerance <fraction>",
        "allowed rise of median p99 latency",
        numberIn(0, 10),
        DEFAULT_TOLERANCES.latencyP99RiseFraction,
      ),
    )
    .option("--ab <ref>", "A/B: build this git ref of the current repository as the base and run it against the candidate")
    .option("--ab-base <dir>", "A/B: an already built base tree instead of --ab")
    .option("--ab-candidate <dir>", "A/B: the candidate tree (default: this tob)")
    .addOption(parsedOption("--rounds <n>", "A/B: alternating rounds (each runs both sides once)", integerIn(4, 50), 6))
    .option("--bench-args <args>", `A/B: arguments to tob bench throughput for both sides (default: ${DEFAULT_AB_BENCH_ARGS.join(" ")})`)
    .option("--base-args <args>", "A/B: extra bench arguments for the base only")
    .option("--candidate-args <args>", "A/B: extra bench arguments for the candidate only")
    .addOption(
      parsedOption(
        "--confidence <level>",
        "A/B: confidence of each decision and interval (1 - the family-wise false-alarm rate)",
        numberIn(0.5, 0.999),
        0.99,
      ),
    )
    .addOption(
      parsedOption("--min-throughput-drop <fraction>", "A/B: the smallest significant throughput drop that fails", numberIn(0, 1), 0.1),
    )
    .addOption(parsedOption("--min-p99-rise <fraction>", "A/B: the smallest significant p99 rise that fails", numberIn(0, 10), 0.25))
    .option("--out <dir>", "A/B: folder for the rounds' bench output and ab.json (default results/gate-ab/<time>)")
    .option("--junit <file>", "write JUnit XML, one case per figure")
    .option("--summary <file>", "write the Markdown summary (for a pull-request comment)")
    .option("--json <file>", "write the full outcome as JSON")
    .action(action(gate));
}
