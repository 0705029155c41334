/**
 * A vitest reporter that closes every run with one plain line,
 * `tests: N passed, N failed, N skipped`, and names each skipped test. Under
 * TOB_REQUIRE_REAL=1 (CI) a skipped test fails the run: CI must exercise every
 * test, real parts included (see ./real.ts).
 */
import { relative } from "node:path";
import type { Reporter, TestModule } from "vitest/node";

export default class SkipReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    const skipped: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else if (state === "skipped") skipped.push(`${relative(process.cwd(), module.moduleId)}: ${test.fullName}`);
      }
    }
    for (const name of skipped) process.stdout.write(`skipped: ${name}\n`);
    process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped.length} skipped\n`);
    if (process.env.TOB_REQUIRE_REAL === "1" && skipped.length > 0) {
      process.stdout.write(`TOB_REQUIRE_REAL=1: ${skipped.length} skipped test(s) fail this run\n`);
      process.exitCode = 1;
    }
  }
}
