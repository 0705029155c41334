import { writeFile } from "node:fs/promises";
import { parentPort } from "node:worker_threads";
import { readForCheck } from "../../checkers/registry/read.js";
import { checkerNamed, inferChecker, runChecker } from "../../checkers/registry/index.js";
import { InputError } from "../history/input-error.js";
import { parseFormat } from "../history/formats.js";
import type { CheckJob, CheckProgress, JobOutcome, WorkerMessage } from "./protocol.js";

/** What error messages call the history instead of the temporary file it was read from. */
const BODY_NAME = "request body";

/**
 * One check worker of the service's pool (pool.ts): reads the posted history
 * with the CLI's readers, checks it, and answers. Jobs come one at a time.
 */
parentPort?.on("message", (job: CheckJob) => {
  void runJob(job).then(
    (outcome) => post({ kind: "done", id: job.id, outcome }),
    (err: unknown) => post({ kind: "crashed", id: job.id, message: (err as Error)?.stack ?? String(err) }),
  );
});

function post(msg: WorkerMessage): void {
  parentPort?.postMessage(msg);
}

function progress(id: string, p: CheckProgress): void {
  post({ kind: "progress", id, progress: p });
}

async function runJob(job: CheckJob): Promise<JobOutcome> {
  // The readers take a path (they stream large files), so the body goes to the slot's file first.
  const path = job.scratchPath;
  try {
    await writeFile(path, job.body);
    progress(job.id, { phase: "parsing" });
    const format = job.format === undefined ? undefined : parseFormat(job.format);
    const initial = job.initial === undefined ? undefined : parseInitial(job.initial);
    const history = await readForCheck(path, format);
    progress(job.id, { phase: "checking", ops: history.ops.length });
    const entry = checkerNamed(
      job.checker ?? (job.model !== undefined ? "linearizable" : inferChecker(history.ops, history.format)),
      history.ops,
    );
    const outcome = await runChecker(
      entry,
      { ops: history.ops, format: history.format, lines: history.lines, name: BODY_NAME },
      {
        title: `check ${job.id}`,
        model: job.model,
        initial,
        timeoutMs: job.timeoutMs,
        // The service's pool is the bound on threads; a check must not start more of its own.
        workers: 0,
        ...(job.consistencyModels ? { consistencyModels: job.consistencyModels } : {}),
      },
    );
    progress(job.id, { phase: "rendering", ops: history.ops.length });
    // The page bounds itself (a window of ops around a violation), so it is rendered for every check.
    return { kind: "result", checker: outcome.checker, result: outcome.result, ops: history.ops.length, timelineHtml: outcome.html() };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    // The readers and models speak to the CLI; name the query parameters instead of the flags.
    const message = err.message
      .split(path)
      .join(BODY_NAME)
      .replace("pass --format ", "pass ?format=")
      .replace("--initial", "initial")
      .replace("pick another --checker", "pick another ?checker=");
    const line = /\bline (\d+)/.exec(message)?.[1];
    return { kind: "input-error", message, ...(line !== undefined ? { line: Number(line) } : {}) };
  }
}

function parseInitial(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`initial: not valid JSON (${(err as Error).message})`);
  }
}
