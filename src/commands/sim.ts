import type { Command } from "commander";
import { type FaultOptions, parseFaults } from "../../clusters/raft/sim/faults.js";
import { generateSchedule, parseSchedule, type Schedule } from "../../clusters/raft/sim/schedule.js";
import { replayCommand, shrinkFailure } from "../../clusters/raft/sim/shrink.js";
import { PLANTABLE_BUGS, type PlantedBug } from "../../clusters/raft/sim/sim-bugs.js";
import { runSimulation, type SimulationSummary } from "../../clusters/raft/sim/simulation.js";
import { EXIT_INVALID, EXIT_UNKNOWN, EXIT_VALID } from "../exit.js";
import { action } from "./action.js";
import { checkedBy, integerIn, oneOf, parsedOption, repeated } from "./flags.js";

const DEFAULT_FAULTS = "drop,duplicate,delay,crash,partition,slowdisk,torn,corrupt,rejoin";

interface SimFlags {
  seed: number;
  runs: number;
  nodes: number;
  steps: number;
  faults: FaultOptions;
  schedule?: Schedule;
  bug: PlantedBug[];
  shrink: boolean;
  json?: boolean;
}

function describe(s: SimulationSummary): string {
  const verdict = s.violationCount > 0 ? "UNSAFE" : s.converged ? "ok" : "did not converge";
  const w = s.clients.writes;
  const f = s.faults;
  return (
    `seed ${s.seed}: ${verdict}; ${s.steps} steps, ${s.elections} elections, ${s.committed} committed; ` +
    `writes ${w.ok} ok ${w.fail} fail ${w.info} info, reads ${s.clients.reads.ok} ok; ` +
    `faults: ${f.crashes} crashes (${f.powercuts} mid-write), ${f.corruptions} corrupt sectors (${f.refusedToStart} refused to start), ` +
    `${f.partitions} partitions, ${f.removed} removed and ${f.added} added back (${f.changesRefused} changes refused), ` +
    `${s.clients.retries} session retries, ${f.dropped} dropped, ${f.duplicated} duplicated of ${f.sent} sent`
  );
}

/**
 * Runs the real node (Replica, write-ahead log, state machine) in the
 * deterministic simulator: seeded clock, network and disks with torn writes
 * and corrupt sectors; invariants checked after every step and at the end.
 * A run is fixed by its seed and fault schedule; a failing one is shrunk to a
 * shorter schedule and printed as a replay command.
 */
async function sim(flags: SimFlags): Promise<number> {
  const { seed: firstSeed, nodes, steps, faults, bug: bugs } = flags;
  const given = flags.schedule ?? null;
  const runs = given ? 1 : flags.runs;
  const summaries: SimulationSummary[] = [];
  const say = (line: string) => {
    if (!flags.json) process.stdout.write(`${line}\n`);
  };
  let replay: string | null = null;
  for (let i = 0; i < runs; i++) {
    const seed = firstSeed + i;
    const schedule = given ?? generateSchedule(seed, nodes, steps, faults);
    const summary = await runSimulation({ seed, schedule, bugs });
    summaries.push(summary);
    say(describe(summary));
    for (const v of summary.violations) say(`  violation: ${v}`);
    if (summary.violationCount > 0 && replay === null) {
      replay = replayCommand(seed, schedule, bugs);
      if (flags.shrink) {
        const shrunk = await shrinkFailure({ seed, schedule, bugs });
        say(
          `shrunk in ${shrunk.runs} runs: ${schedule.events.length} fault events over ${schedule.steps} steps -> ` +
            `${shrunk.schedule.events.length} over ${shrunk.schedule.steps}; it still fails: ${shrunk.summary.violations[0]}`,
        );
        replay = replayCommand(seed, shrunk.schedule, bugs);
      }
    }
  }
  const unsafe = summaries.filter((s) => s.violationCount > 0);
  const stuck = summaries.filter((s) => s.violationCount === 0 && !s.converged);
  if (flags.json) {
    const valid = unsafe.length > 0 ? false : stuck.length > 0 ? "unknown" : true;
    process.stdout.write(`${JSON.stringify({ valid, replay, runs: summaries }, null, 2)}\n`);
  } else {
    say(`\n${runs} runs: ${unsafe.length} unsafe, ${stuck.length} did not converge (not a safety failure)`);
    if (replay !== null) say(`replay: ${replay}`);
  }
  if (unsafe.length > 0) return EXIT_INVALID;
  return stuck.length > 0 ? EXIT_UNKNOWN : EXIT_VALID;
}

export function registerSim(program: Command): void {
  program
    .command("sim")
    .description("run the real node (Replica, WAL, state machine) in the deterministic simulator and check its invariants after every step")
    .addOption(parsedOption("--seed <n>", "first seed", integerIn(0, 2 ** 31 - 1), 1))
    .addOption(parsedOption("--runs <n>", "seeds to run, from --seed upwards", integerIn(1, 100_000), 1))
    .addOption(parsedOption("--nodes <n>", "cluster size", integerIn(1, 15), 5))
    .addOption(parsedOption("--steps <n>", "steps of the faulty phase (one tick each)", integerIn(1, 10_000_000), 1000))
    .addOption(
      parsedOption(
        "--faults <list>",
        "none, or drop,duplicate,delay,crash,partition,slowdisk,torn,corrupt (each optionally =rate)",
        checkedBy(parseFaults),
        parseFaults(DEFAULT_FAULTS),
        DEFAULT_FAULTS,
      ),
    )
    .addOption(
      parsedOption(
        "--schedule <json>",
        "replay this fault schedule (as a failing run prints it) instead of drawing one from the seed",
        checkedBy(parseSchedule),
      ),
    )
    .addOption(parsedOption("--bug <name>", `plant a bug (${PLANTABLE_BUGS.join(", ")}); repeatable`, repeated(oneOf(PLANTABLE_BUGS)), []))
    .option("--no-shrink", "print a failing run's replay command without shrinking its schedule first")
    .option("--json", "print the summaries as JSON")
    .action(action(sim));
}
