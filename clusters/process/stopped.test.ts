import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { threadStates, untilStopped } from "./stopped.js";

const started: number[] = [];

/** A multi-threaded process (node has its worker threads) that idles until killed. */
function idler(): number {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  started.push(child.pid!);
  return child.pid!;
}

afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
});

describe.runIf(process.platform === "linux")("untilStopped", () => {
  it("is false for a running process and true once SIGSTOP has taken effect on every thread", async () => {
    const pid = idler();
    // Node starts its worker threads during startup; wait until they exist (bounded).
    for (let i = 0; i < 500 && threadStates(pid).length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(threadStates(pid).length).toBeGreaterThan(1);
    expect(await untilStopped(pid, 100)).toBe(false);
    process.kill(pid, "SIGSTOP");
    expect(await untilStopped(pid, 5_000)).toBe(true);
    expect(threadStates(pid).every((s) => s === "T")).toBe(true);
    process.kill(pid, "SIGCONT");
    expect(await untilStopped(pid, 100)).toBe(false);
  });

  it("is true for a process that no longer exists", async () => {
    const pid = idler();
    process.kill(pid, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await untilStopped(pid, 1_000)).toBe(true);
  });
});
