import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { OpType, Process } from "../history/op.js";

/**
 * The part of an Op the reports use. Values are dropped for client ops because
 * a list-append or broadcast value can be large and a report of a 1M-op run
 * must not hold them all; nemesis values are kept to label fault intervals.
 */
export interface Event {
  time: number;
  process: Process;
  type: OpType;
  f: string;
  value?: unknown;
}

export interface HistoryRead {
  events: Event[];
  /** Lines that were not an op (a torn last line after a crash, a stray log line). */
  badLines: number;
  /** The first few bad lines, named by number, for the report's notes. */
  badExamples: string[];
}

const BAD_EXAMPLES_MAX = 3;
const OP_TYPES: ReadonlySet<string> = new Set(["invoke", "ok", "fail", "info"]);

/** Why a parsed line is not an op, or undefined when it is one. */
function shapeProblem(raw: unknown): string | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return "not a JSON object";
  const o = raw as Record<string, unknown>;
  if (typeof o.time !== "number" || !Number.isFinite(o.time)) return 'field "time" is not a number';
  if (typeof o.type !== "string" || !OP_TYPES.has(o.type)) return 'field "type" is not invoke|ok|fail|info';
  if (typeof o.f !== "string") return 'field "f" is not a string';
  if (typeof o.process !== "number" && typeof o.process !== "string") return 'field "process" is missing';
  return undefined;
}

/**
 * Streams history.jsonl. Never throws on content: a run that crashed mid-line
 * still gets a report, with the bad lines counted in its notes.
 */
export async function readHistory(path: string): Promise<HistoryRead> {
  const events: Event[] = [];
  const badExamples: string[] = [];
  let badLines = 0;
  let lineNo = 0;
  const lines = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity });
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === "") continue;
    let raw: unknown;
    let problem: string | undefined;
    try {
      raw = JSON.parse(line);
      problem = shapeProblem(raw);
    } catch {
      problem = "not valid JSON";
    }
    if (problem !== undefined) {
      badLines++;
      if (badExamples.length < BAD_EXAMPLES_MAX) badExamples.push(`line ${lineNo}: ${problem}`);
      continue;
    }
    const o = raw as Event;
    const event: Event = { time: o.time, process: o.process, type: o.type, f: o.f };
    if (o.process === "nemesis") event.value = o.value;
    events.push(event);
  }
  return { events, badLines, badExamples };
}
