/**
 * The checkers that judge a run: its workload's, plus recovery (liveness after
 * the final heal) and perf (latency, throughput, unavailability windows). One
 * function, so `tob run` and `tob report` judge a history the same way.
 */
import type { Checker } from "../../checkers/checker.js";
import type { ReadConsistency } from "../../clusters/cluster.js";
import { perfChecker } from "../../checkers/perf/index.js";
import { findWorkload } from "../../workloads/index.js";
import type { WorkloadRun } from "../../workloads/workload.js";
import { InputError } from "../history/input-error.js";
import { recoveryChecker } from "./liveness.js";
import type { RunSpec } from "./spec.js";

/** Plotted points kept in results.json: enough for the report, small enough to read. */
const PERF_POINTS_MAX = 5_000;

export function workloadRun(spec: RunSpec, nodeIds: readonly string[]): WorkloadRun {
  const workload = findWorkload(spec.workload);
  if (!workload) throw new InputError(`unknown workload ${JSON.stringify(spec.workload)}`);
  return workload.make({
    seed: spec.seed,
    nodes: nodeIds,
    concurrency: spec.concurrency,
    readConsistency: spec.reads as ReadConsistency | undefined,
  });
}

export function runCheckers(run: WorkloadRun): Checker[] {
  return [...run.checkers, recoveryChecker, perfChecker({ pointsMax: PERF_POINTS_MAX })];
}
