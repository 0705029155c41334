/**
 * Helpers for the end-to-end tests of `tob run`: the built CLI in a child
 * process, a fresh results folder, and the check that nothing is left behind.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { distPath } from "../../src/paths.js";

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  out: string;
}

const outputs: string[] = [];

export function freshOut(): string {
  const dir = mkdtempSync(join(tmpdir(), "tob-run-"));
  outputs.push(dir);
  return dir;
}

/** Removes every results folder this file's tests made (run from afterAll). */
export function removeOutputs(): void {
  for (const dir of outputs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** `tob run ...` from dist/, results under a fresh folder; bounded in time. */
export async function tobRun(args: string[], out = freshOut(), timeoutMs = 90_000): Promise<CliRun> {
  const r = await execa(process.execPath, [distPath("src/cli.js"), "run", "--out", out, ...args], { reject: false, timeout: timeoutMs });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr), out };
}

/** A fresh seed for a run that must catch its bug on any seed; tests print it when one misses. */
export function randomSeed(): string {
  return String(Math.floor(Math.random() * 2 ** 31));
}

export function latestResults(out: string): { valid: unknown; results: Record<string, { valid: unknown }> } {
  return JSON.parse(readFileSync(join(out, "latest", "results.json"), "utf8"));
}

/** Pids of processes whose command line mentions `needle` (e.g. a run's folder), other than ps itself. */
export async function processesMentioning(needle: string): Promise<string[]> {
  const { stdout } = await execa("ps", ["-eo", "pid=,args="], { reject: false });
  return String(stdout)
    .split("\n")
    .filter((line) => line.includes(needle) && !line.includes("ps -eo"))
    .map((line) => line.trim());
}
