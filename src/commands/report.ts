/**
 * `tob report RUN_DIR`: judges a stored run again from its test.json and
 * history.jsonl (a run whose controller died mid-way included: ops it never
 * saw complete count as info), rewrites results.json, and rebuilds the
 * reports. Exit code = verdict.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { judge, writeResults } from "../controller/results.js";
import { runCheckers, workloadRun } from "../controller/run-checkers.js";
import { isMaelstromSpec, storedMaelstromCheckers } from "../controller/maelstrom-run.js";
import { summaryScreen } from "../controller/screen.js";
import type { TestJson } from "../controller/spec.js";
import { exitCodeForVerdict } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { readJsonl } from "../history/jsonl.js";
import type { Op } from "../history/op.js";
import { writeReports } from "../report/index.js";
import { action } from "./action.js";

export function registerReport(program: Command): void {
  program
    .command("report")
    .description("check a stored run's history again; rewrite results.json, summary.md and report.html")
    .argument("<run-dir>", "a folder written by tob run")
    .action(action(async (runDir: string) => reportCommand(runDir)));
}

async function reportCommand(runDir: string): Promise<number> {
  const testPath = join(runDir, "test.json");
  const historyPath = join(runDir, "history.jsonl");
  if (!existsSync(testPath)) throw new InputError(`${runDir}: no test.json: not a run folder`);
  if (!existsSync(historyPath)) throw new InputError(`${runDir}: no history.jsonl: the run recorded nothing`);
  let test: TestJson;
  try {
    test = JSON.parse(readFileSync(testPath, "utf8")) as TestJson;
  } catch (err) {
    throw new InputError(`${testPath}: not valid JSON (${(err as Error).message})`);
  }
  if (!test?.spec?.workload) throw new InputError(`${testPath}: field "spec.workload" is missing`);
  const history: Op[] = [];
  for await (const { op } of readJsonl(historyPath)) history.push(op);
  const checkers = isMaelstromSpec(test.spec)
    ? storedMaelstromCheckers(test.spec, test.nodeIds ?? [], runDir)
    : runCheckers(workloadRun(test.spec, test.nodeIds ?? []));
  const results = await judge(history, checkers);
  writeResults(runDir, results);
  const { reportHtml } = await writeReports(runDir);
  process.stdout.write(summaryScreen(runDir, test, results, reportHtml));
  return exitCodeForVerdict(results.valid);
}
