import { readdirSync, readFileSync } from "node:fs";

/**
 * SIGSTOP is only a request: kill(2) returns once the signal is queued, and
 * the process stops when one of its threads next runs and acts on it. On a
 * loaded machine that can take milliseconds, long enough for the "paused"
 * node to answer one more request. So a pause waits until every thread of the
 * process shows the stopped state in /proc.
 */

const POLL_MS = 1;

/** The state letters of every thread of `pid` (R, S, T, Z, ...); empty when the process is gone. */
export function threadStates(pid: number): string[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const states: string[] = [];
  for (const task of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, "utf8");
      // "tid (comm) S ...": comm may hold spaces and parentheses, so read after the last ")".
      states.push(stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return states;
}

/** Stopped (T), stopped under a tracer (t), or dead (Z, X): a thread that will not run user code. */
const HALTED = new Set(["T", "t", "Z", "X"]);

/**
 * True once every thread of `pid` is halted, false if `timeoutMs` passes first.
 * Where /proc is absent (not Linux) there is nothing to watch: true at once.
 */
export async function untilStopped(pid: number, timeoutMs: number): Promise<boolean> {
  if (!procAvailable()) return true;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (threadStates(pid).every((s) => HALTED.has(s))) return true;
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function procAvailable(): boolean {
  try {
    readdirSync("/proc/self/task");
    return true;
  } catch {
    return false;
  }
}
