/**
 * Nodes that cannot start: each ends `tob maelstrom test` with exit 2 and a
 * message naming the node and what it sent, no stack trace, and no process
 * left running.
 */
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { distPath } from "../../src/paths.js";
import { freshOut, processesMentioning, removeOutputs } from "../run/support.js";
import { FIXTURES, JS } from "./support.js";

afterAll(removeOutputs);

async function tobMaelstrom(args: string[]) {
  const out = freshOut();
  const r = await execa(process.execPath, [distPath("src/cli.js"), "maelstrom", "test", "--out", out, ...args], {
    reject: false,
    timeout: 60_000,
  });
  return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr), out };
}

const badNode = (mode: string) => [
  "-w",
  "echo",
  "--node-count",
  "2",
  "--time-limit",
  "1",
  "--init-timeout",
  "5000",
  "--bin",
  process.execPath,
  "--",
  `${FIXTURES}/bad-node.js`,
  mode,
];

describe.concurrent("a node that cannot start", () => {
  const cases: [string, RegExp][] = [
    ["non-json", /node n[12] printed a line that is not a Maelstrom message \(not JSON\): "hello, I am not JSON"/],
    ["silent", /node n[12] did not answer init within 5000 ms/],
    ["unknown-reply", /node n[12] replied to c0 with in_reply_to 999, which c0 never sent: .*init_ok/],
    ["exit-2", /node n[12] exited with code 2 before answering init; its stderr ends:\s+bad-node: cannot read my config/],
  ];
  for (const [mode, message] of cases) {
    it(mode, async () => {
      const r = await tobMaelstrom(badNode(mode));
      expect(r.exitCode).toBe(2);
      expect(r.stderr, r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(await processesMentioning(`bad-node.js ${mode}`)).toEqual([]);
    });
  }

  it("a wrong flag is a usage error", async () => {
    const r = await tobMaelstrom(["-w", "echo", "--bin", process.execPath, "--concurrency", "lots", `${JS}/echo.js`]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("option '--concurrency <n>' argument 'lots' is invalid");
  });
});

describe("the exit code is the verdict", () => {
  it("valid: 0, with a run folder holding history, results and report", async () => {
    const r = await tobMaelstrom([
      "-w",
      "echo",
      "--node-count",
      "2",
      "--time-limit",
      "1",
      "--rate",
      "20",
      "--bin",
      process.execPath,
      `${JS}/echo.js`,
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain("verdict: VALID");
    expect(r.stdout).toMatch(/messages: \d+ between nodes/);
    // tob report judges it again with the same workload's checkers and the saved network figures.
    const again = await execa(process.execPath, [distPath("src/cli.js"), "report", join(r.out, "latest")], {
      reject: false,
      timeout: 60_000,
    });
    expect(again.exitCode).toBe(0);
    expect(String(again.stdout)).toMatch(/ {2}echo +VALID/);
    expect(String(again.stdout)).toMatch(/ {2}net +VALID/);
  });
});
