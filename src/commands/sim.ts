import type { Command } from "commander";
import { parseFaults } from "../../clusters/raft/sim/faults.js";
import { runSimulation, type SimulationSummary } from "../../clusters/raft/sim/simulation.js";
import { EXIT_INVALID, EXIT_UNKNOWN, EXIT_VALID } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { action } from "./action.js";
import { integerIn } from "./flags.js";

interface SimFlags {
  seed: string;
  runs: string;
  nodes: string;
  ops: string;
  faults: string;
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
  const firstSeed = integerIn("--seed", flags.seed, 0, 2 ** 31 - 1);
  const runs = integerIn("--runs", flags.runs, 1, 100_000);
  const nodes = integerIn("--nodes", flags.nodes, 1, 15);
  const ops = integerIn("--ops", flags.ops, 1, 10_000_000);
  let faults;
  try {
    faults = parseFaults(flags.faults);
  } catch (err) {
    throw new InputError((err as Error).message);
  }
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
      process.stdout.write(`replay: tob sim --seed ${unsafe[0]!.seed} --nodes ${nodes} --ops ${ops} --faults ${flags.faults}\n`);
  }
  if (unsafe.length > 0) return EXIT_INVALID;
  return stuck.length > 0 ? EXIT_UNKNOWN : EXIT_VALID;
}

export function registerSim(program: Command): void {
  program
    .command("sim")
    .description("run the pure Raft core in the deterministic simulator and check safety after every step")
    .option("--seed <n>", "first seed", "1")
    .option("--runs <n>", "seeds to run, from --seed upwards", "1")
    .option("--nodes <n>", "cluster size", "5")
    .option("--ops <n>", "client requests in the faulty phase", "10000")
    .option(
      "--faults <list>",
      "none, or drop,duplicate,delay,crash,partition,slowdisk,wipe (each optionally =rate)",
      "drop,duplicate,delay,crash,partition,slowdisk",
    )
    .option("--json", "print the summaries as JSON")
    .action(action(sim));
}
