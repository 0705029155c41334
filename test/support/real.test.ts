import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/paths.js";

const VITEST = `${PACKAGE_ROOT}/node_modules/.bin/vitest`;
const CONFIG = new URL("./fixtures/vitest.config.ts", import.meta.url).pathname;
const RUN_TIMEOUT_MS = 60_000;

/** Runs the missing-part fixture in its own vitest, as CI (requireReal) or a developer would. */
async function runFixture(requireReal: boolean, partPresent = false): Promise<{ exitCode: number | undefined; out: string }> {
  const env = { ...process.env, TOB_REQUIRE_REAL: requireReal ? "1" : "0", FIXTURE_PART_PRESENT: partPresent ? "1" : "0" };
  const r = await execa(VITEST, ["run", "--config", CONFIG], { env, reject: false, timeout: RUN_TIMEOUT_MS, all: true });
  return { exitCode: r.exitCode, out: String(r.all) };
}

describe("a test that needs a missing part", () => {
  it("skips on a developer's machine, naming the part, and the closing line counts the skips", async () => {
    const r = await runFixture(false);
    expect(r.exitCode, r.out).toBe(0);
    expect(r.out).toContain("skipped: unobtainium missing: no unobtainium on this machine");
    expect(r.out).toContain("tests: 1 passed, 0 failed, 3 skipped");
  });

  it("fails under TOB_REQUIRE_REAL=1, naming the part", async () => {
    const r = await runFixture(true);
    expect(r.exitCode, r.out).toBe(1);
    expect(r.out).toContain("unobtainium is required here (TOB_REQUIRE_REAL=1) but missing: no unobtainium on this machine");
    expect(r.out).toContain("tests: 1 passed, 2 failed, 1 skipped");
  });

  it("under TOB_REQUIRE_REAL=1 any skipped test fails the run, even when every other test passes", async () => {
    const r = await runFixture(true, true);
    expect(r.out).toContain("tests: 3 passed, 0 failed, 1 skipped");
    expect(r.out).toContain("missing-part.fixture.ts: a test skipped by hand");
    expect(r.out).toContain("TOB_REQUIRE_REAL=1: 1 skipped test(s) fail this run");
    expect(r.exitCode, r.out).toBe(1);
  });
});
