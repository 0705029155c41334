/**
 * The results store (docs/ARCHITECTURE.md, "Results"): one folder per run,
 * results/<test>/<timestamp>/, and results/latest pointing at the newest. A
 * folder that exists is never reused: a second run in the same millisecond
 * gets a suffix.
 */
import { mkdirSync, renameSync, symlinkSync, unlinkSync } from "node:fs";
import { join, relative } from "node:path";

const SUFFIX_TRIES_MAX = 100;

/** "2026-11-22T01-02-03.456Z": sortable, and safe in a path. */
export function timestampName(at: Date): string {
  return at.toISOString().replace(/:/g, "-");
}

/** Creates a fresh run folder (and its nodes/), never one that exists. */
export function createRunDir(outDir: string, test: string, at: Date): string {
  const parent = join(outDir, test);
  mkdirSync(parent, { recursive: true });
  const base = timestampName(at);
  for (let i = 0; i < SUFFIX_TRIES_MAX; i++) {
    const dir = join(parent, i === 0 ? base : `${base}-${i}`);
    try {
      // Not recursive: EEXIST means another run has it.
      mkdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw err;
    }
    mkdirSync(join(dir, "nodes"));
    return dir;
  }
  throw new Error(`no free run folder under ${parent} for ${base}`);
}

/** Points <out>/latest at the run (relative, so the results folder can move); replaced atomically. */
export function pointLatest(outDir: string, runDir: string): void {
  const link = join(outDir, "latest");
  const tmp = `${link}.${process.pid}.tmp`;
  try {
    unlinkSync(tmp);
  } catch {
    // No leftover: the usual case.
  }
  symlinkSync(relative(outDir, runDir), tmp);
  renameSync(tmp, link);
}
