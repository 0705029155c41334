import { existsSync } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../history/input-error.js";
import { readHistory, type Event } from "./history.js";

/** Everything a report is built from; what is missing or odd becomes a note, not an error. */
export interface RunFiles {
  runDir: string;
  test: Record<string, unknown> | undefined;
  events: Event[];
  results: unknown;
  hasTimeline: boolean;
  notes: string[];
}

async function readJson(path: string, name: string, notes: string[]): Promise<unknown> {
  if (!existsSync(path)) {
    notes.push(`${name} is missing`);
    return undefined;
  }
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    notes.push(`${name} is not valid JSON (${(err as Error).message})`);
    return undefined;
  }
}

function asObject(v: unknown, name: string, notes: string[]): Record<string, unknown> | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  notes.push(`${name} is not a JSON object`);
  return undefined;
}

export async function loadRun(runDir: string): Promise<RunFiles> {
  const info = await stat(runDir).catch(() => undefined);
  if (!info?.isDirectory()) throw new InputError(`${runDir}: not a run folder`);

  const notes: string[] = [];
  const test = asObject(await readJson(join(runDir, "test.json"), "test.json", notes), "test.json", notes);
  const results = await readJson(join(runDir, "results.json"), "results.json", notes);

  let events: Event[] = [];
  const historyPath = join(runDir, "history.jsonl");
  if (!existsSync(historyPath)) {
    notes.push("history.jsonl is missing: no plots");
  } else {
    try {
      const read = await readHistory(historyPath);
      events = read.events;
      if (read.badLines > 0) {
        notes.push(`history.jsonl: skipped ${read.badLines} line(s) that are not ops (${read.badExamples.join("; ")})`);
      }
      if (events.length === 0) notes.push("history.jsonl holds no ops");
    } catch (err) {
      notes.push(`history.jsonl could not be read (${(err as Error).message})`);
    }
  }
  // Through results/latest, the real folder's name (the run's timestamp) is what the title should show.
  const realDir = await realpath(runDir).catch(() => runDir);
  return { runDir: realDir, test, events, results, hasTimeline: existsSync(join(runDir, "timeline.html")), notes };
}
