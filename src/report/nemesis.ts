/**
 * The run's faults as the reports show them: the intervals of the one rule
 * (src/history/faults.ts), each with a short label of what its op said.
 */
import { faultIntervals, type FaultEvent, type FaultInterval } from "../history/faults.js";

export interface LabelledFault extends FaultInterval {
  /** What the opening op said (its target), for hover text and the summary. */
  label: string;
}

const LABEL_CHARS_MAX = 60;

/** "kill nodes n2", "partition shape halves, groups [[n1],[n2,n3]]": the value without JSON's quotes. */
function describe(kind: string, value: unknown): string {
  if (value === undefined || value === null) return kind;
  const compact = (v: unknown) => (typeof v === "string" ? v : (JSON.stringify(v)?.replace(/"/g, "") ?? ""));
  const text =
    typeof value === "object" && !Array.isArray(value)
      ? Object.entries(value as Record<string, unknown>)
          .map(([k, v]) => `${k} ${Array.isArray(v) && v.every((x) => typeof x === "string") ? v.join(",") : compact(v)}`)
          .join(", ")
      : compact(value);
  const short = text.length > LABEL_CHARS_MAX ? text.slice(0, LABEL_CHARS_MAX - 1) + "…" : text;
  return short === "" ? kind : `${kind} ${short}`;
}

export function labelledFaults(events: readonly FaultEvent[], historyEndNs: number): LabelledFault[] {
  return faultIntervals(events, historyEndNs).map((f) => ({ ...f, label: describe(f.kind, f.value) }));
}
