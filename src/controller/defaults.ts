/**
 * The faults of a default run: what `tob run` injects when `--nemesis`,
 * `--nemesis-interval` and `--nemesis-duration` are not given. A default run
 * should catch the bug it is about, so the plan depends on what the run is
 * for: the workload's own faults, or, with `--bug` or a weak read mode, the
 * faults that expose that class of bug. The kind names the class of each of
 * its bugs and weak read modes (clusters/kind.ts); the plans are here. The rates these plans reach are
 * measured with `tob bench detect` (README, "Choosing time and faults").
 */
import type { ClusterKind, FaultClass, PlantedBug } from "../../clusters/kind.js";

export interface FaultPlan {
  nemesis: readonly string[];
  /** Seconds from one fault's start to the next's. */
  intervalS: number;
  /** Seconds each fault lasts. */
  durationS: number;
}

/** Short faults, often: most workloads' bugs show within a second of a fault. */
export const INTERVAL_S_DEFAULT = 4;
export const DURATION_S_DEFAULT = 2;

/**
 * A stale read needs a node cut off from the majority while clients still
 * read there, and a write to the same key completed on the majority side in
 * the meantime. The cut must outlast the requests caught in it (the node's
 * 2 s request timeout) and an election, or no write commits while it holds.
 */
const LONG_LEADER_PARTITION: FaultPlan = { nemesis: ["partition-leader"], intervalS: 7, durationS: 5 };

/**
 * A double vote needs a leader that stops while its followers lag (on
 * loopback they lag only when links are slowed, hence the delay first; the
 * pause comes at the fault's midpoint). The survivors then campaign at once
 * over the slow links, so both can win, and the old leader comes back to serve
 * both winners. A paused leader is back at once, where a killed one waits for
 * a restart (seconds on a loaded machine), so a run holds several times as
 * many elections: with kills a 20 s run caught the double vote in 1 of 5
 * seeds; with pauses in every seed (README, "Choosing time and faults").
 */
const LEADER_STALL_ON_SLOW_LINKS: FaultPlan = { nemesis: ["delay+pause-leader"], intervalS: 2, durationS: 1.2 };

/** Bugs of a single node's state show without help; a node's restart (a catch-up batch) shows them sooner. */
const RESTARTS: FaultPlan = { nemesis: ["kill"], intervalS: INTERVAL_S_DEFAULT, durationS: DURATION_S_DEFAULT };

/**
 * A leader cut off from its followers: until check-quorum steps it down
 * (within an election timeout) it still takes requests, which it can only
 * leave pending (a broadcast lost at step-down) or, if it acknowledges before
 * a quorum holds them, acknowledge alone, to be lost when the majority's new
 * leader overwrites them. Every cut strands some: an early acknowledgement was
 * caught at the first fault in 10 of 10 seeds, where a stalled leader on slow
 * links (a pause lands between an acknowledgement and its replication only
 * by chance) missed about one seed in ten.
 */
const LEADER_CUT_OFF: FaultPlan = { nemesis: ["partition-leader"], intervalS: INTERVAL_S_DEFAULT, durationS: DURATION_S_DEFAULT };

/** The plan of each class of faults. */
export const FAULT_PLANS: Readonly<Record<FaultClass, FaultPlan>> = {
  "long-leader-partition": LONG_LEADER_PARTITION,
  "leader-stall-on-slow-links": LEADER_STALL_ON_SLOW_LINKS,
  restarts: RESTARTS,
  "leader-cut-off": LEADER_CUT_OFF,
};

/**
 * The fault plan of a run: the bugs' plans merged (their faults together, the
 * longest interval and duration), else the plan of a read mode that may read
 * stale, else the workload's own faults at the default pace.
 */
export function defaultFaults(
  workloadNemesis: readonly string[],
  bugs: readonly PlantedBug[],
  staleReads: FaultClass | undefined,
): FaultPlan {
  const own: FaultPlan = { nemesis: workloadNemesis, intervalS: INTERVAL_S_DEFAULT, durationS: DURATION_S_DEFAULT };
  const plans = bugs.map((b) => (b.faults === null ? own : FAULT_PLANS[b.faults]));
  if (plans.length === 0) plans.push(staleReads === undefined ? own : FAULT_PLANS[staleReads]);
  return {
    nemesis: [...new Set(plans.flatMap((p) => p.nemesis))],
    intervalS: Math.max(...plans.map((p) => p.intervalS)),
    durationS: Math.max(...plans.map((p) => p.durationS)),
  };
}

/** The class of faults that shows a kind's read mode reading stale, if it may. */
export function staleReadFaults(kind: Pick<ClusterKind, "readModes" | "staleReads">, reads: string | undefined): FaultClass | undefined {
  return kind.staleReads?.[reads ?? kind.readModes[0] ?? ""];
}
