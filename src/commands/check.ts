import { mkdirSync, writeFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { type Command, Option } from "commander";
import { DEFAULT_TIMEOUT_MS, type CheckRun } from "../../checkers/linearizability/check.js";
import { makeModel, MODEL_NAMES } from "../../checkers/linearizability/models/index.js";
import { shrink } from "../../checkers/linearizability/shrink.js";
import { describeSignature } from "../../checkers/linearizability/signature.js";
import { parseModels } from "../../checkers/elle/models.js";
import { shrinkElle } from "../../checkers/elle/index.js";
import type { ElleShrinkable } from "../../checkers/registry/elle.js";
import type { TotalOrderShrinkable } from "../../checkers/registry/total-order.js";
import { shrinkTotalOrder } from "../../checkers/total-order/shrink.js";
import { worstVerdict } from "../../checkers/verdict.js";
import { readForCheck } from "../../checkers/registry/read.js";
import { CHECKER_NAMES, checkerNamed, inferChecker, runChecker, type Outcome, type RunOptions } from "../../checkers/registry/index.js";
import { EXIT_INPUT, exitCodeForVerdict } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { HISTORY_FORMATS, type HistoryFormat } from "../history/source.js";
import { formatOp } from "../history/writer.js";
import { action } from "./action.js";
import { checkedBy, json, parsedOption, positiveNumber } from "./flags.js";

const TIMEOUT_S_MAX = 7 * 24 * 3600;

/** A checker's name as typed (an alias stays one); an unknown one is refused naming the known. */
function checkerName(name: string): string {
  checkerNamed(name);
  return name;
}

/** "serializable, snapshot-isolation" → the names, each known; an unknown one is refused naming the known. */
function consistencyModelsOf(text: string): string[] {
  return parseModels(
    text
      .split(",")
      .map((m) => m.trim())
      .filter((m) => m !== ""),
  );
}
import { collectHistories } from "./check-files.js";
import { checkStreamed } from "./check-stream.js";
import { summaryTable, type FileRow } from "./check-table.js";

interface CheckFlags {
  checker?: string;
  model?: string;
  initial?: unknown;
  format?: HistoryFormat;
  /** Seconds. */
  timeout: number;
  html?: string;
  json?: boolean;
  shrink?: boolean | string;
  consistencyModels?: string[];
  stream?: boolean;
}

async function shrinkAndSave(file: string, run: CheckRun, target: string | undefined, timeoutMs: number): Promise<string> {
  const ops = run.partitions.flatMap((p) => p.ops);
  const shrunk = await shrink(ops, { model: run.model, budgetMs: timeoutMs, checkTimeoutMs: Math.min(2_000, timeoutMs) });
  const out = target ?? `${basename(file, extname(file))}.shrunk.jsonl`;
  const text = shrunk.history.map(formatOp).join("");
  writeFileSync(out, text);
  return (
    `\nshrunk ${ops.length} ops to ${shrunk.ops.length} that fail for the same reason (${describeSignature(shrunk.signature)}) ` +
    `(${shrunk.checks} checks${shrunk.exhausted ? ", budget ran out" : ""}), saved to ${out}:\n${text}`
  );
}

/** An Elle violation shrunk to the transactions of one anomaly and the reads that order them. */
function shrinkElleAndSave(file: string, shrinkable: ElleShrinkable, target: string | undefined): string {
  const shrunk = shrinkElle(shrinkable.ops, { ...shrinkable.options, workload: shrinkable.workload });
  const out = target ?? `${basename(file, extname(file))}.shrunk.jsonl`;
  const text = shrunk.history.map(formatOp).join("");
  writeFileSync(out, text);
  return `\nshrunk ${shrunk.txnsBefore} txns to ${shrunk.txnsAfter} that still show ${shrunk.type} (${shrunk.checks} checks), saved to ${out}:\n${text}`;
}

/** A total-order violation shrunk to the ops and messages that still break the same properties. */
function shrinkTotalOrderAndSave(file: string, shrinkable: TotalOrderShrinkable, target: string | undefined, timeoutMs: number): string {
  const shrunk = shrinkTotalOrder(shrinkable.ops, { budgetMs: timeoutMs });
  const out = target ?? `${basename(file, extname(file))}.shrunk.jsonl`;
  const text = shrunk.history.map(formatOp).join("");
  writeFileSync(out, text);
  return (
    `\nshrunk ${shrunk.opsBefore} ops to ${shrunk.opsAfter} that still break ${shrunk.failed.join(", ")} ` +
    `(${shrunk.checks} checks${shrunk.exhausted ? ", budget ran out" : ""}), saved to ${out}:\n${text}`
  );
}

function shrinkNote(file: string, outcome: Outcome, target: string | undefined, timeoutMs: number): Promise<string> | string {
  if (outcome.checker === "linearizable") return shrinkAndSave(file, outcome.shrinkable as CheckRun, target, timeoutMs);
  if (outcome.checker.startsWith("elle")) return shrinkElleAndSave(file, outcome.shrinkable as ElleShrinkable, target);
  if (outcome.checker === "total-order")
    return shrinkTotalOrderAndSave(file, outcome.shrinkable as TotalOrderShrinkable, target, timeoutMs);
  return `(--shrink shrinks linearizability, Elle and total-order violations; ${file} was checked by ${outcome.checker})\n`;
}

interface Settings {
  checker?: string;
  format?: HistoryFormat;
  run: Omit<RunOptions, "title">;
}

/** Every flag checked before any file is read: a typo costs nothing. */
function settingsOf(flags: CheckFlags): Settings {
  const { format, initial, consistencyModels } = flags;
  const timeoutMs = flags.timeout * 1000;
  // The model's initial state is judged with --initial: two flags, so here.
  if (flags.model !== undefined) makeModel(flags.model, initial);
  // a model names a linearizability check: without --checker it picks that checker
  const checker = flags.checker ?? (flags.model !== undefined ? "linearizable" : undefined);
  return { checker, format, run: { model: flags.model, initial, timeoutMs, ...(consistencyModels ? { consistencyModels } : {}) } };
}

async function checkFile(file: string, settings: Settings): Promise<{ outcome: Outcome; ops: number }> {
  const source = await readForCheck(file, settings.format);
  const name = settings.checker ?? inferChecker(source.ops, source.format);
  const entry = checkerNamed(name, source.ops);
  const inferred = ` (checker ${entry.name} inferred from the ops; pass --checker to choose)`;
  let outcome: Outcome;
  try {
    outcome = await runChecker(
      entry,
      { ops: source.ops, format: source.format, lines: source.lines, name: file },
      { ...settings.run, title: `tob check ${basename(file)}` },
    );
  } catch (err) {
    // An op that does not fit a guessed checker may fit another: say it was a guess.
    if (err instanceof InputError && settings.checker === undefined) throw new InputError(`${err.message}${inferred}`);
    throw err;
  }
  if (settings.checker === undefined) outcome.summary[0] += inferred;
  return { outcome, ops: source.ops.length };
}

/** `--html` names the page for one file; for several, a folder with a page per file. */
function htmlPath(target: string, file: string, several: boolean, taken: Set<string>): string {
  if (!several) return target;
  mkdirSync(target, { recursive: true });
  const stem = basename(file, extname(file));
  let name = `${stem}.html`;
  for (let n = 2; taken.has(name); n++) name = `${stem}-${n}.html`;
  taken.add(name);
  return join(target, name);
}

/** Exit codes from the best to the worst: valid, unknown, invalid, input error. */
const EXIT_RANK = [0, 2, 3, 1];

/** --stream is the linearizability checker's, file by file; the worst exit code wins. */
async function checkAllStreamed(paths: string[], flags: CheckFlags, settings: Settings): Promise<number> {
  if (settings.checker !== "linearizable")
    throw new InputError(`--stream checks linearizability only; it cannot run the ${settings.checker} checker`);
  let worst = 0;
  for (const file of paths) {
    const code = await checkStreamed(file, {
      model: flags.model,
      initial: settings.run.initial,
      timeoutMs: settings.run.timeoutMs,
      json: flags.json,
    });
    if (EXIT_RANK[code] > EXIT_RANK[worst]) worst = code;
  }
  return worst;
}

async function check(files: string[], flags: CheckFlags): Promise<number> {
  const settings = settingsOf(flags);
  const paths = collectHistories(files);
  if (flags.stream) return checkAllStreamed(paths, flags, settings);
  const several = paths.length > 1 || files.length > 1;
  const rows: FileRow[] = [];
  const jsonFiles: Record<string, unknown>[] = [];
  const notes: string[] = [];
  const pagesTaken = new Set<string>();
  const out = flags.json ? process.stderr : process.stdout;
  for (const file of paths) {
    const started = performance.now();
    let checked;
    try {
      checked = await checkFile(file, settings);
    } catch (err) {
      // one bad file of many is reported in its row; alone, it is the command's error
      if (!(err instanceof InputError) || !several) throw err;
      process.stderr.write(`tob: ${err.message}\n`);
      rows.push({ file, checker: settings.checker ?? "-", verdict: "input error", ops: null, timeMs: performance.now() - started });
      jsonFiles.push({ file, error: err.message });
      continue;
    }
    const { outcome, ops } = checked;
    const timeMs = performance.now() - started;
    rows.push({ file, checker: outcome.checker, verdict: outcome.result.valid, ops, timeMs });
    jsonFiles.push({
      file,
      checker: outcome.checker,
      valid: outcome.result.valid,
      ops,
      timeMs: Math.round(timeMs),
      result: outcome.result,
    });
    if (!flags.json) process.stdout.write(`${file}: ${outcome.summary.join("\n")}\n${several ? "\n" : ""}`);
    if (flags.html !== undefined) {
      const page = htmlPath(flags.html, file, several, pagesTaken);
      writeFileSync(page, outcome.html());
      notes.push(`wrote ${page}\n`);
    }
    if (flags.shrink !== undefined && flags.shrink !== false && outcome.result.valid === false) {
      notes.push(await shrinkNote(file, outcome, typeof flags.shrink === "string" ? flags.shrink : undefined, settings.run.timeoutMs));
    }
  }
  const valid = worstVerdict(rows.flatMap((r) => (r.verdict === "input error" ? [] : [r.verdict])));
  if (flags.json)
    process.stdout.write(JSON.stringify(several ? { valid, files: jsonFiles } : (jsonFiles[0].result as object), null, 2) + "\n");
  else if (several) process.stdout.write(summaryTable(rows));
  for (const note of notes) out.write(note);
  return rows.some((r) => r.verdict === "input error") ? EXIT_INPUT : exitCodeForVerdict(valid);
}

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("check stored histories with any checker (exit 0 valid, 1 invalid, 2 input error, 3 unknown; the worst across files)")
    .argument("<files...>", "histories (JSONL, Jepsen/Knossos EDN, Porcupine's etcd/kv logs), or folders of them")
    .addOption(
      parsedOption(
        "--checker <name>",
        `checker: ${CHECKER_NAMES.join("|")} (default: inferred from each history's ops)`,
        checkedBy(checkerName),
      ),
    )
    .addOption(new Option("--model <name>", "linearizable: model (default: guessed from the history)").choices(MODEL_NAMES))
    .addOption(parsedOption("--initial <json>", "linearizable: initial state as JSON (default: the model's)", json))
    .addOption(
      parsedOption(
        "--consistency-models <list>",
        "elle: the consistency models to check against, comma-separated (default strict-serializable)",
        checkedBy(consistencyModelsOf),
      ),
    )
    .addOption(new Option("--format <format>", "history format (default: detected)").choices(HISTORY_FORMATS))
    .addOption(
      parsedOption(
        "--timeout <seconds>",
        "time budget; past it the verdict is unknown (exit 3)",
        positiveNumber(TIMEOUT_S_MAX),
        DEFAULT_TIMEOUT_MS / 1000,
      ),
    )
    .option("--html <path>", "write a self-contained HTML explanation (several files: a folder with one page each)")
    .option("--json", "print the JSON result (several files: {valid, files: [...]})")
    .option(
      "--shrink [file]",
      "linearizable, elle, total-order: shrink a violation to a small history that fails for the same reason, print and save it (default NAME.shrunk.jsonl)",
    )
    .option(
      "--stream",
      "linearizable, JSONL bigger than memory: split by key to temporary files, check key by key in bounded memory, with progress (needs --model; --timeout is per bucket)",
    )
    .action(action(check));
}
