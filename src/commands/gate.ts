import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { EXIT_INVALID, EXIT_VALID } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { action } from "./action.js";
import { compareMeasurements, DEFAULT_TOLERANCES } from "../gate/compare.js";
import { toJunitXml, toMarkdown } from "../gate/junit.js";
import { loadBaseline, loadCurrent } from "../gate/load.js";
import { machineMismatch } from "../gate/measurements.js";

interface GateFlags {
  baseline: string;
  current: string;
  junit?: string;
  summary?: string;
  writeBaseline?: boolean;
  throughputTolerance: string;
  p99Tolerance: string;
}

function fraction(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 10) throw new InputError(`${flag} must be a fraction such as 0.25, got ${JSON.stringify(text)}`);
  return value;
}

async function gate(flags: GateFlags): Promise<number> {
  const current = loadCurrent(flags.current);
  if (flags.writeBaseline) {
    writeFileSync(flags.baseline, JSON.stringify(current, null, 2) + "\n");
    process.stdout.write(`wrote baseline ${flags.baseline}: ${Object.keys(current.verdicts).length} verdicts, ${Object.keys(current.scenarios).length} scenarios\n`);
    return EXIT_VALID;
  }
  const baseline = loadBaseline(flags.baseline);
  const mismatch = machineMismatch(baseline.machine, current.machine);
  if (mismatch !== null) {
    throw new InputError(`baseline ${flags.baseline} was measured on another machine kind (${mismatch}); measure a baseline on this kind`);
  }
  const tolerances = {
    throughputDropFraction: fraction("--throughput-tolerance", flags.throughputTolerance),
    latencyP99RiseFraction: fraction("--p99-tolerance", flags.p99Tolerance),
  };
  const outcome = compareMeasurements(baseline, current, tolerances);
  const markdown = toMarkdown(outcome, flags.baseline, flags.current);
  process.stdout.write(markdown);
  if (flags.junit) writeFileSync(flags.junit, toJunitXml(outcome));
  if (flags.summary) writeFileSync(flags.summary, markdown);
  return outcome.passed ? EXIT_VALID : EXIT_INVALID;
}

export function registerGate(program: Command): void {
  program
    .command("gate")
    .description("compare a run or bench folder with a baseline; exit 1 on a regression")
    .requiredOption("--baseline <file>", "baseline measurements (JSON)")
    .requiredOption("--current <dir>", "a tob run folder (results.json) or tob bench folder (bench.json, compare.json)")
    .option("--junit <file>", "write JUnit XML")
    .option("--summary <file>", "write the markdown summary")
    .option("--write-baseline", "write the current figures as the baseline instead of comparing")
    .option("--throughput-tolerance <fraction>", "allowed drop of median throughput", String(DEFAULT_TOLERANCES.throughputDropFraction))
    .option("--p99-tolerance <fraction>", "allowed rise of median p99 latency", String(DEFAULT_TOLERANCES.latencyP99RiseFraction))
    .action(action(gate));
}
