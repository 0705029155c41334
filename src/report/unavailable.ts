import type { CheckerView } from "./verdict.js";

/** Unavailability as the perf checker measured it (checkers/perf: `unavailable`). */
export interface Unavailability {
  checker: string;
  windows: number;
  totalMs: number;
  thresholdMs?: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Taken from the first checker result that has `unavailable: {windows, totalMs}`;
 * undefined when none does (no perf checker ran, or an older results.json).
 */
export function findUnavailability(checkers: readonly CheckerView[]): Unavailability | undefined {
  for (const c of checkers) {
    const u = isObject(c.result) ? c.result.unavailable : undefined;
    if (!isObject(u) || !Array.isArray(u.windows) || typeof u.totalMs !== "number") continue;
    const out: Unavailability = { checker: c.name, windows: u.windows.length, totalMs: u.totalMs };
    if (typeof u.thresholdMs === "number") out.thresholdMs = u.thresholdMs;
    return out;
  }
  return undefined;
}
