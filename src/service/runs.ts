import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { readRunSummary, type RunSummary } from "./run-summary.js";

/** A test or timestamp folder name: no dots in front (hidden, "..") and no separators. */
export const RUN_PART_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9_.:+-]{0,127}$";
const runPartRe = new RegExp(RUN_PART_PATTERN);

export function isRunPart(name: string): boolean {
  return runPartRe.test(name);
}

/** Files of a run the service serves as they are. */
export const RUN_PAGES = ["report.html", "timeline.html"] as const;
export type RunPage = (typeof RUN_PAGES)[number];

export interface RunFilter {
  workload?: string;
  cluster?: string;
  verdict?: "valid" | "invalid" | "unknown";
}

/**
 * The runs under `results/<test>/<timestamp>/` that have a results.json. A
 * listing re-reads only the runs whose results.json changed since the last one.
 */
export class RunIndex {
  private readonly cache = new Map<string, { mtimeMs: number; summary: RunSummary }>();

  constructor(
    readonly resultsDir: string,
    /** Bounds a listing's work and answer on a results folder grown huge. */
    private readonly runsMax = 5000,
  ) {}

  async list(filter: RunFilter = {}): Promise<RunSummary[]> {
    const runs: RunSummary[] = [];
    const seen = new Set<string>();
    for (const test of await subdirs(this.resultsDir)) {
      for (const ts of await subdirs(join(this.resultsDir, test))) {
        if (seen.size >= this.runsMax) break;
        const summary = await this.summary(test, ts);
        if (!summary) continue;
        seen.add(summary.id);
        if (matches(summary, filter)) runs.push(summary);
      }
    }
    for (const id of this.cache.keys()) if (!seen.has(id)) this.cache.delete(id);
    // Newest first; timestamps are folder names written to sort by time.
    return runs.sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : a.id.localeCompare(b.id)));
  }

  /** The run's results.json as stored, or undefined when there is no such run. */
  async results(test: string, ts: string): Promise<string | undefined> {
    if (!isRunPart(test) || !isRunPart(ts)) return undefined;
    return readFile(join(this.resultsDir, test, ts, "results.json"), "utf8").catch(() => undefined);
  }

  /** The absolute path of one of the run's pages, when it exists. */
  async pagePath(test: string, ts: string, page: RunPage): Promise<string | undefined> {
    if (!isRunPart(test) || !isRunPart(ts)) return undefined;
    const path = join(this.resultsDir, test, ts, page);
    const st = await stat(path).catch(() => undefined);
    return st?.isFile() ? path : undefined;
  }

  private async summary(test: string, ts: string): Promise<RunSummary | undefined> {
    const dir = join(this.resultsDir, test, ts);
    const st = await stat(join(dir, "results.json")).catch(() => undefined);
    if (!st?.isFile()) return undefined;
    const id = `${test}/${ts}`;
    const cached = this.cache.get(id);
    if (cached && cached.mtimeMs === st.mtimeMs) return cached.summary;
    const summary = await readRunSummary(dir, test, ts);
    this.cache.set(id, { mtimeMs: st.mtimeMs, summary });
    return summary;
  }
}

/** Real folders only: `latest` is a symlink to a run listed under its own name already. */
async function subdirs(dir: string): Promise<string[]> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && isRunPart(e.name)).map((e) => e.name);
}

function matches(run: RunSummary, filter: RunFilter): boolean {
  if (filter.workload && run.workload !== filter.workload) return false;
  if (filter.cluster && run.cluster !== filter.cluster) return false;
  if (filter.verdict) {
    const verdict = run.valid === true ? "valid" : run.valid === false ? "invalid" : "unknown";
    if (verdict !== filter.verdict) return false;
  }
  return true;
}
