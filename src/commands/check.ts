import { writeFileSync } from "node:fs";
import { basename, extname } from "node:path";
import type { Command } from "commander";
import { checkHistory, DEFAULT_TIMEOUT_MS, type CheckRun } from "../../checkers/linearizability/check.js";
import { renderHtml } from "../../checkers/linearizability/html.js";
import { guessModel } from "../../checkers/linearizability/models/guess.js";
import { makeModel, MODEL_NAMES } from "../../checkers/linearizability/models/index.js";
import { shrink } from "../../checkers/linearizability/shrink.js";
import { exitCodeForVerdict } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { parseFormat, readHistory } from "../history/formats.js";
import { HISTORY_FORMATS } from "../history/source.js";
import { formatOp } from "../history/writer.js";
import { action } from "./action.js";
import { checkStreamed } from "./check-stream.js";

interface CheckFlags {
  model?: string;
  initial?: string;
  format?: string;
  timeout: string;
  html?: string;
  json?: boolean;
  shrink?: boolean | string;
  stream?: boolean;
}

function parseInitial(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`--initial must be JSON (e.g. 0, null, "", {"x":0}), got ${JSON.stringify(text)}`);
  }
}

function parseTimeoutMs(text: string): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InputError(`--timeout must be a positive number of seconds, got ${JSON.stringify(text)}`);
  return seconds * 1000;
}

function summary(file: string, run: CheckRun): string {
  const r = run.result;
  const parts = Object.values(r.partitions);
  const count = (v: unknown) => parts.filter((p) => p.valid === v).length;
  const verdict = r.valid === true ? "valid: linearizable" : r.valid === false ? "INVALID: not linearizable" : "unknown: the search ran out of its budget";
  const lines = [
    `${file}: model ${r.model}, ${r["op-count"]} ops, ${parts.length} partition(s), ${r["time-ms"]} ms`,
    verdict,
    `partitions: ${count(true)} valid, ${count(false)} invalid, ${count("unknown")} unknown`,
  ];
  for (const [name, p] of Object.entries(r.partitions)) {
    if (p.valid === "unknown" && p.reason !== "cancelled") lines.push(`  ${name}: unknown (${p.reason}) after ${p.steps} steps; ${p.linearized} of ${p.ops} ops linearized`);
  }
  for (const a of r.anomalies) lines.push("", a.text);
  return lines.join("\n") + "\n";
}

async function shrinkAndSave(file: string, run: CheckRun, target: string | undefined, timeoutMs: number): Promise<string> {
  const anomaly = run.result.anomalies[0];
  const partition = run.partitions.find((p) => p.name === anomaly.partition);
  if (partition === undefined) throw new Error(`shrink: partition ${anomaly.partition} not found`);
  const shrunk = await shrink(partition.ops, { model: run.model, budgetMs: timeoutMs, checkTimeoutMs: Math.min(2_000, timeoutMs) });
  const out = target ?? `${basename(file, extname(file))}.shrunk.jsonl`;
  const text = shrunk.history.map(formatOp).join("");
  writeFileSync(out, text);
  return (
    `\nshrunk ${partition.ops.length} ops of partition ${partition.name} to ${shrunk.ops.length} still-invalid ops ` +
    `(${shrunk.checks} checks${shrunk.exhausted ? ", budget ran out" : ""}), saved to ${out}:\n${text}`
  );
}

async function check(file: string, flags: CheckFlags): Promise<number> {
  const format = flags.format === undefined ? undefined : parseFormat(flags.format);
  const initial = parseInitial(flags.initial);
  const timeoutMs = parseTimeoutMs(flags.timeout);
  if (flags.model !== undefined) makeModel(flags.model, initial);
  if (flags.stream) return checkStreamed(file, { model: flags.model, initial, timeoutMs, json: flags.json });
  const source = await readHistory(file, format);
  const model = flags.model ?? guessModel(source.format, source.ops);
  const locate = (i: number) => `${file} line ${source.lines[i] ?? "?"}`;
  const run = await checkHistory(source.ops, { model, initial, timeoutMs, locate });
  if (flags.html !== undefined) {
    const byName = new Map(run.partitions.map((p) => [p.name, p.ops]));
    writeFileSync(flags.html, renderHtml(`tob check ${basename(file)}`, run.result, byName));
  }
  let shrunk = "";
  if (flags.shrink !== undefined && flags.shrink !== false && run.result.valid === false) {
    shrunk = await shrinkAndSave(file, run, typeof flags.shrink === "string" ? flags.shrink : undefined, timeoutMs);
  }
  if (flags.json) process.stdout.write(JSON.stringify(run.result, null, 2) + "\n");
  else process.stdout.write(summary(file, run) + (flags.model === undefined ? `(model ${model} guessed; pass --model to choose)\n` : ""));
  if (shrunk !== "") (flags.json ? process.stderr : process.stdout).write(shrunk);
  if (flags.html !== undefined) (flags.json ? process.stderr : process.stdout).write(`wrote ${flags.html}\n`);
  return exitCodeForVerdict(run.result.valid);
}

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("check a history for linearizability (exit 0 valid, 1 invalid, 2 input error, 3 unknown)")
    .argument("<file>", "history: JSONL, Jepsen/Knossos EDN, or Porcupine's etcd/kv logs")
    .option("--model <name>", `model: ${MODEL_NAMES.join("|")} (default: guessed from the history)`)
    .option("--initial <json>", "initial state as JSON (default: the model's)")
    .option("--format <format>", `history format: ${HISTORY_FORMATS.join("|")} (default: detected)`)
    .option("--timeout <seconds>", "time budget; past it the verdict is unknown (exit 3)", String(DEFAULT_TIMEOUT_MS / 1000))
    .option("--html <file>", "write a self-contained HTML explanation")
    .option("--json", "print an Elle-like JSON result")
    .option("--shrink [file]", "shrink a violation to a small still-invalid history, print and save it (default NAME.shrunk.jsonl)")
    .option("--stream", "JSONL bigger than memory: split by key to temporary files, check key by key in bounded memory, with progress (needs --model; --timeout is per bucket)")
    .action(action(check));
}
