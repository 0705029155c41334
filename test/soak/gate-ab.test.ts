/**
 * The A/B gate's false-alarm rate, for real: the current commit against itself,
 * built from its git ref as CI would (`tob gate --ab HEAD`), five times. Each trial
 * must pass; a failure here means the gate would fail builds that changed nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, expect, it } from "vitest";
import { distPath, PACKAGE_ROOT } from "../../src/paths.js";

const TRIALS = 5;
const work = mkdtempSync(join(tmpdir(), "tob-gate-soak-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it(`identical builds pass A/B in ${TRIALS} of ${TRIALS} trials`, async () => {
  const outcomes: string[] = [];
  for (let trial = 1; trial <= TRIALS; trial++) {
    const r = await execa(
      process.execPath,
      [
        distPath("src/cli.js"),
        "gate",
        "--ab",
        "HEAD",
        "--rounds",
        "6",
        "--bench-args",
        "--cluster raft --ops put --connections 64 --duration 2 --trials 1",
        "--out",
        join(work, `trial${trial}`),
      ],
      { cwd: PACKAGE_ROOT, reject: false, timeout: 20 * 60_000 },
    );
    outcomes.push(
      `trial ${trial}: exit ${r.exitCode}\n${String(r.stdout)
        .split("\n")
        .filter((l) => l.startsWith("|"))
        .join("\n")}`,
    );
  }
  expect(
    outcomes.filter((o) => !o.includes("exit 0")),
    outcomes.join("\n"),
  ).toEqual([]);
});
