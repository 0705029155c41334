import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { chartAssets } from "./assets.js";
import { renderHtml } from "./html.js";
import { loadRun } from "./load.js";
import { renderSummary } from "./summary.js";
import { buildView } from "./view.js";

/**
 * Builds report.html and summary.md for a run folder from its test.json,
 * history.jsonl and results.json. A partial run (a file missing, a torn last
 * line, an odd results shape) still gets both reports, with notes saying what
 * was missing; only a path that is not a folder is an error (InputError).
 */
export async function writeReports(runDir: string): Promise<{ reportHtml: string; summaryMd: string }> {
  const run = await loadRun(runDir);
  const view = buildView(run);
  const reportHtml = join(runDir, "report.html");
  const summaryMd = join(runDir, "summary.md");
  await writeFile(reportHtml, renderHtml(view, await chartAssets()));
  await writeFile(summaryMd, renderSummary(view));
  return { reportHtml, summaryMd };
}
