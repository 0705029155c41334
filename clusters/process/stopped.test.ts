import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { killSlot, type ProcessSlot, pauseSlot, resumeSlot, spawnSlot } from "./slot.js";
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

describe.runIf(process.platform === "linux")("pauseSlot", () => {
  it("returns only once every thread of the node is stopped, and resumeSlot lets it run again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tob-pause-"));
    const slot: ProcessSlot = { process: null, paused: false };
    await spawnSlot(slot, {
      id: "n1",
      command: { file: process.execPath, args: ["-e", "setInterval(() => {}, 1000)"] },
      logFile: join(dir, "n1.log"),
    });
    try {
      const pid = slot.process!.pid;
      for (let i = 0; i < 500 && threadStates(pid).length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await pauseSlot(slot, "test: n1");
      // read at once: no waiting of our own between the pause and the look
      expect(threadStates(pid).every((s) => s === "T")).toBe(true);
      expect(slot.paused).toBe(true);
      resumeSlot(slot);
      expect(await untilStopped(pid, 200)).toBe(false);
      expect(slot.paused).toBe(false);
    } finally {
      await killSlot(slot);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
