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

/** Reads a run's test.json and results.json; a field it cannot find is null, never an error. */
export async function readRunSummary(dir: string, test: string, timestamp: string): Promise<RunSummary> {
  const spec = await readJson(join(dir, "test.json"));
  const results = await readJson(join(dir, "results.json"));
  return {
    id: `${test}/${timestamp}`,
    test,
    timestamp,
    workload: text(spec.workload) ?? text(obj(spec.spec).workload) ?? null,
    cluster: clusterName(spec.cluster ?? obj(spec.spec).cluster),
    nemesis: nemesisNames(spec.nemesis ?? obj(spec.spec).nemesis),
    valid: verdict(results.valid),
    ...perfFigures(results),
    hasReport: await isFile(join(dir, "report.html")),
    hasTimeline: await isFile(join(dir, "timeline.html")),
  };
}

/** The perf checker's figures, wherever compose.ts put its output. */
function perfFigures(results: Json): { throughputPerS: number | null; latencyMsP99: number | null } {
  const perf = obj(obj(results.checkers).perf ?? results.perf);
  const throughput = num(perf.throughputPerS) ?? num(perf.throughput) ?? num(obj(perf.overall).throughputPerS);
  const latency = obj(perf.latency ?? perf.overall);
  const p99 = num(perf.latencyMsP99) ?? num(latency.p99) ?? num(latency.latencyMsP99) ?? num(obj(obj(perf.overall).latency).p99);
  return { throughputPerS: throughput ?? null, latencyMsP99: p99 ?? null };
}

function clusterName(value: unknown): string | null {
  if (typeof value === "string") return value;
  const o = obj(value);
  return text(o.kind) ?? text(o.name) ?? text(o.type) ?? null;
}

function nemesisNames(value: unknown): string[] {
  if (typeof value === "string") return value.split(",").filter(Boolean);
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? v : text(obj(v).kind) ?? "")).filter(Boolean);
  const o = obj(value);
  return Array.isArray(o.faults) ? nemesisNames(o.faults) : [];
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
