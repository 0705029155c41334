import type { Command } from "commander";
import { type FaultOptions, parseFaults } from "../../clusters/raft/sim/faults.js";
import { runSimulation, type SimulationSummary } from "../../clusters/raft/sim/simulation.js";
import { EXIT_INVALID, EXIT_UNKNOWN, EXIT_VALID } from "../exit.js";
import { action } from "./action.js";
import { checkedBy, integerIn, parsedOption } from "./flags.js";

const DEFAULT_FAULTS = "drop,duplicate,delay,crash,partition,slowdisk";
const faultsOf = (text: string) => ({ text, options: parseFaults(text) });

interface SimFlags {
  seed: number;
  runs: number;
  nodes: number;
  ops: number;
  /** As typed, for the replay line, and parsed. */
  faults: { text: string; options: FaultOptions };
  json?: boolean;
}

function describe(s: SimulationSummary): string {
  const verdict = s.violationCount > 0 ? "UNSAFE" : s.converged ? "ok" : "did not converge";
  return (
    `seed ${s.seed}: ${verdict}; ${s.steps} steps, ${s.elections} elections, ${s.proposals.accepted}/${s.proposals.issued} proposals accepted, ` +
    `${s.committed} committed, reads ${s.reads.ok} ok ${s.reads.failed} failed; faults: ${s.faults.crashes} crashes, ${s.faults.partitions} partitions, ` +
    `${s.faults.dropped} dropped, ${s.faults.duplicated} duplicated of ${s.faults.sent} sent`
  );
}

/**
 * Runs the pure Raft core in the deterministic simulator: seeded clock, network
 * and disks; safety invariants checked after every step; then a healed phase
 * that must converge. A seed replays a run exactly.
 */
async function sim(flags: SimFlags): Promise<number> {
  const { seed: firstSeed, runs, nodes, ops } = flags;
  const faults = flags.faults.options;
  const summaries: SimulationSummary[] = [];
  for (let i = 0; i < runs; i++) {
    const summary = runSimulation({ seed: firstSeed + i, nodes, ops, faults });
    summaries.push(summary);
    if (!flags.json) process.stdout.write(describe(summary) + "\n");
    for (const v of summary.violations) if (!flags.json) process.stdout.write(`  violation: ${v}\n`);
  }
  const unsafe = summaries.filter((s) => s.violationCount > 0);
  const stuck = summaries.filter((s) => s.violationCount === 0 && !s.converged);
  if (flags.json) {
    process.stdout.write(
      JSON.stringify({ valid: unsafe.length > 0 ? false : stuck.length > 0 ? "unknown" : true, runs: summaries }, null, 2) + "\n",
    );
  } else {
    process.stdout.write(`\n${runs} runs: ${unsafe.length} unsafe, ${stuck.length} did not converge (not a safety failure)\n`);
    if (unsafe.length > 0)
      process.stdout.write(`replay: tob sim --seed ${unsafe[0]!.seed} --nodes ${nodes} --ops ${ops} --faults ${flags.faults.text}\n`);
  }
  if (unsafe.length > 0) return EXIT_INVALID;
  return stuck.length > 0 ? EXIT_UNKNOWN : EXIT_VALID;
}

export function registerSim(program: Command): void {
  program
    .command("sim")
    .description("run the pure Raft core in the deterministic simulator and check safety after every step")
    .addOption(parsedOption("--seed <n>", "first seed", integerIn(0, 2 ** 31 - 1), 1))
    .addOption(parsedOption("--runs <n>", "seeds to run, from --seed upwards", integerIn(1, 100_000), 1))
    .addOption(parsedOption("--nodes <n>", "cluster size", integerIn(1, 15), 5))
    .addOption(parsedOption("--ops <n>", "client requests in the faulty phase", integerIn(1, 10_000_000), 10000))
    .addOption(
      parsedOption(
        "--faults <list>",
        "none, or drop,duplicate,delay,crash,partition,slowdisk,wipe (each optionally =rate)",
        checkedBy(faultsOf),
        faultsOf(DEFAULT_FAULTS),
        DEFAULT_FAULTS,
      ),
    )
    .option("--json", "print the summaries as JSON")
    .action(action(sim));
}
