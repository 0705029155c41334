/**
 * Waiting on a fixture child process, never forever: the wait ends with the
 * first stdout line it is looking for, or it kills the child (SIGKILL, by its
 * pid) and fails, quoting what the child printed, when the child exits first
 * or the time runs out.
 */
import type { ResultPromise } from "execa";

export const CHILD_WAIT_MS = 20_000;

/** The first stdout line for which `parse` returns a value. */
export function firstLine<T>(child: ResultPromise, parse: (line: string) => T | undefined, timeoutMs = CHILD_WAIT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let printed = "";
    const fail = (why: string) => {
      cleanup();
      child.kill("SIGKILL");
      reject(new Error(`fixture child ${child.pid ?? "?"}: ${why}; it printed:\n${printed.slice(-2_000)}`));
    };
    const onData = (chunk: Buffer) => {
      printed += String(chunk);
      for (const line of String(chunk).split("\n")) {
        const value = parse(line);
        if (value === undefined) continue;
        cleanup();
        resolve(value);
        return;
      }
    };
    const onExit = () => fail("exited before printing the line awaited");
    const timer = setTimeout(() => fail(`no line awaited within ${timeoutMs} ms`), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      printed += String(chunk);
    });
    child.once("exit", onExit);
  });
}

/**
 * The child's end, never waited on forever: past `timeoutMs` it is killed
 * (SIGKILL, by its pid) and the wait fails, saying so. For a child asked to
 * stop (SIGTERM, SIGINT) whose own clean-up is under test.
 */
export async function endWithin<R>(child: ResultPromise & Promise<R>, timeoutMs = CHILD_WAIT_MS): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
      resolve();
    }, timeoutMs);
  });
  try {
    const result = await Promise.race([child, deadline.then(() => child)]);
    if (timedOut) throw new Error(`fixture child ${child.pid ?? "?"} did not end within ${timeoutMs} ms; killed it`);
    return result;
  } finally {
    clearTimeout(timer);
  }
}
