import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { defaultOptions, type ServiceOptions } from "../options.js";
import { buildService } from "../server.js";

export interface TestService {
  app: FastifyInstance;
  opts: ServiceOptions;
  root: string;
  /** Stops the service; the folders stay, so a restart can be tested. */
  stop(): Promise<void>;
  /** Stops it and removes its folders. */
  close(): Promise<void>;
}

/** A service over fresh temporary folders, not listening (drive it with inject, or listen yourself). */
export async function startService(over: Partial<ServiceOptions> = {}, root?: string): Promise<TestService> {
  const dir = root ?? (await mkdtemp(join(tmpdir(), "tob-serve-")));
  const opts: ServiceOptions = { ...defaultOptions(join(dir, "results")), workers: 1, ...over };
  const app = await buildService(opts, (msg) => process.stderr.write(`service: ${msg}\n`));
  let stopped = false;
  const stop = async () => {
    if (!stopped) await app.close();
    stopped = true;
  };
  return {
    app,
    opts,
    root: dir,
    stop,
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface RunFolder {
  test: string;
  ts: string;
  spec: object;
  results: object;
  report?: string;
  timeline?: string;
}

/** Writes a run folder the way `tob run` lays it out. */
export async function writeRunFolder(resultsDir: string, run: RunFolder): Promise<void> {
  const dir = join(resultsDir, run.test, run.ts);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "test.json"), JSON.stringify(run.spec));
  await writeFile(join(dir, "results.json"), JSON.stringify(run.results));
  if (run.report !== undefined) await writeFile(join(dir, "report.html"), run.report);
  if (run.timeline !== undefined) await writeFile(join(dir, "timeline.html"), run.timeline);
}

/** The perf checker's output, cut to what the runs table reads. */
function perf(p99ByF: Record<string, number>): object {
  const latency = Object.fromEntries(Object.entries(p99ByF).map(([f, p99Ms]) => [f, { ok: { count: 10, p50Ms: p99Ms / 4, p99Ms } }]));
  return { valid: true, latency };
}

/** Three runs of different verdicts, workloads and clusters, shaped like the controller's. */
export async function writeSampleRuns(resultsDir: string): Promise<void> {
  const page = (title: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1 id="banner">${title}</h1></body></html>`;
  await writeRunFolder(resultsDir, {
    test: "register",
    ts: "20260101T100000Z",
    spec: { spec: { workload: "register", cluster: "raft", nemesis: ["kill", "partition"] } },
    results: {
      valid: true,
      results: { linearizability: { valid: true }, perf: perf({ read: 3.5, write: 14.2 }) },
      stats: { ok: 1625, durationS: 2 },
    },
    report: page("register report"),
    timeline: page("register timeline"),
  });
  await writeRunFolder(resultsDir, {
    test: "kv",
    ts: "20260101T110000Z",
    spec: { spec: { workload: "kv", cluster: "etcd", nemesis: ["pause"] } },
    results: {
      valid: false,
      results: { linearizability: { valid: false }, perf: perf({ read: 30.1 }) },
      stats: { ok: 1500, durationS: 1 },
    },
    report: page("kv report"),
  });
  await writeRunFolder(resultsDir, {
    test: "broadcast",
    ts: "20260101T120000Z",
    spec: { spec: { workload: "broadcast", cluster: "raft", nemesis: [] } },
    results: { valid: "unknown", results: { "total-order": { valid: "unknown" } } },
  });
}
