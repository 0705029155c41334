import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { etcdVersion } from "./binary.js";

/** Why etcd tests must skip here, or null when etcd is installed. */
export async function etcdMissing(): Promise<string | null> {
  try {
    await etcdVersion("etcd");
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export function tempRunDir(name: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `tob-${name}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Whether a pid still names a process (signal 0 only checks). */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Retries `attempt` every 100 ms until it yields a value, for at most `timeoutMs`. */
export async function eventually<T>(timeoutMs: number, attempt: () => Promise<T | null>): Promise<T> {
  for (let waitedMs = 0; waitedMs <= timeoutMs; waitedMs += 100) {
    const value = await attempt();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing within ${timeoutMs} ms`);
}
