import { basename, dirname } from "node:path";
import { NS_PER_S } from "../history/op.js";
import { functionTable, latencyFigures, okLatenciesMs, type FunctionRow, type LatencyFigures } from "./latency.js";
import type { RunFiles } from "./load.js";
import { labelledFaults, type LabelledFault } from "./nemesis.js";
import { pairOps } from "./pairs.js";
import { chartData, type ChartData } from "./series.js";
import { readSetUp, type SetUp } from "./spec.js";
import { findUnavailability, type Unavailability } from "./unavailable.js";
import { readVerdicts, type Verdicts } from "./verdict.js";

/** Everything both reports show, computed once from the run's files. */
export interface ReportView {
  title: string;
  spec: SetUp;
  verdicts: Verdicts;
  counts: { invoked: number; ok: number; fail: number; info: number; pending: number };
  durationS: number;
  /** ok completions per second over the whole run; undefined for an empty history. */
  throughputOkPerS: number | undefined;
  latency: LatencyFigures;
  table: FunctionRow[];
  faults: LabelledFault[];
  unavailable: Unavailability | undefined;
  charts: ChartData;
  hasTimeline: boolean;
  notes: string[];
}

export function buildView(run: RunFiles): ReportView {
  const setUpNotes: string[] = [];
  const spec = readSetUp(run.test, setUpNotes);
  const paired = pairOps(run.events);
  const faults = labelledFaults(run.events, paired.endNs);
  const verdicts = readVerdicts(run.results, run.hasTimeline);
  const counts = { invoked: paired.invoked, ok: 0, fail: 0, info: 0, pending: paired.pending };
  for (const op of paired.completed) counts[op.outcome]++;
  const notes = [...run.notes, ...setUpNotes, ...verdicts.notes];
  if (paired.orphans > 0) notes.push(`${paired.orphans} completion(s) had no invoke on their process and were skipped`);
  const durationS = paired.endNs / NS_PER_S;
  return {
    title: `${spec.name ?? basename(dirname(run.runDir))} · ${basename(run.runDir)}`,
    spec,
    verdicts,
    counts,
    durationS,
    throughputOkPerS: durationS > 0 ? counts.ok / durationS : undefined,
    latency: latencyFigures(okLatenciesMs(paired.completed)),
    table: functionTable(paired.completed),
    faults,
    unavailable: findUnavailability(verdicts.checkers),
    charts: chartData(paired.completed, faults, paired.endNs),
    hasTimeline: run.hasTimeline,
    notes,
  };
}
