import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";

/** One row of the runs table: what a person scans for before opening a run. */
export interface RunSummary {
  id: string;
  test: string;
  timestamp: string;
  workload: string | null;
  cluster: string | null;
  nemesis: string[];
  valid: true | false | "unknown" | null;
  throughputPerS: number | null;
  latencyMsP99: number | null;
  hasReport: boolean;
  hasTimeline: boolean;
}

type Json = Record<string, unknown>;

/** Reads a run's test.json and results.json; a field it cannot find is null (a run cut short), never an error. */
export async function readRunSummary(dir: string, test: string, timestamp: string): Promise<RunSummary> {
  // test.json is {spec: RunSpec, schedule, ...} (src/controller/spec.ts).
  const runSpec = obj((await readJson(join(dir, "test.json"))).spec);
  const results = await readJson(join(dir, "results.json"));
  return {
    id: `${test}/${timestamp}`,
    test,
    timestamp,
    workload: text(runSpec.workload) ?? null,
    cluster: text(runSpec.cluster) ?? null,
    nemesis: Array.isArray(runSpec.nemesis) ? runSpec.nemesis.filter((n): n is string => typeof n === "string") : [],
    valid: verdict(results.valid),
    ...perfFigures(results),
    hasReport: await isFile(join(dir, "report.html")),
    hasTimeline: await isFile(join(dir, "timeline.html")),
  };
}

/**
 * Throughput as the report gives it (ok completions over the run's duration,
 * from results.stats), and the p99 of ok ops of the slowest op kind from the
 * perf checker (results.perf: one histogram per f, and quantiles do not merge).
 */
function perfFigures(results: Json): { throughputPerS: number | null; latencyMsP99: number | null } {
  const stats = obj(results.stats);
  const ok = num(stats.ok);
  const durationS = num(stats.durationS);
  const p99s = Object.values(obj(obj(obj(results.results).perf).latency))
    .map((byOutcome) => num(obj(obj(byOutcome).ok).p99Ms))
    .filter((p): p is number => p !== undefined);
  return {
    throughputPerS: ok !== undefined && durationS ? Math.round((ok / durationS) * 10) / 10 : null,
    latencyMsP99: p99s.length > 0 ? Math.max(...p99s) : null,
  };
}

function verdict(value: unknown): RunSummary["valid"] {
  return value === true || value === false || value === "unknown" ? value : null;
}

async function readJson(path: string): Promise<Json> {
  try {
    return obj(JSON.parse(await readFile(path, "utf8")));
  } catch {
    return {};
  }
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

function obj(value: unknown): Json {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
