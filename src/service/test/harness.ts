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

/** Three runs of different verdicts, workloads and clusters. */
export async function writeSampleRuns(resultsDir: string): Promise<void> {
  const page = (title: string) => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1 id="banner">${title}</h1></body></html>`;
  await writeRunFolder(resultsDir, {
    test: "register",
    ts: "20260101T100000Z",
    spec: { workload: "register", cluster: "raft", nemesis: ["kill", "partition"] },
    results: { valid: true, checkers: { perf: { throughputPerS: 812.5, latency: { p99: 14.2 } } } },
    report: page("register report"),
    timeline: page("register timeline"),
  });
  await writeRunFolder(resultsDir, {
    test: "kv",
    ts: "20260101T110000Z",
    spec: { workload: "kv", cluster: "etcd", nemesis: ["pause"] },
    results: { valid: false, checkers: { perf: { throughputPerS: 1500, latency: { p99: 30.1 } } } },
    report: page("kv report"),
  });
  await writeRunFolder(resultsDir, {
    test: "broadcast",
    ts: "20260101T120000Z",
    spec: { workload: "broadcast", cluster: "raft", nemesis: [] },
    results: { valid: "unknown" },
  });
}
