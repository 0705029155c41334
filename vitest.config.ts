import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**", "results/**", "test/soak/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Cluster tests spawn real processes; two cores cannot take many at once.
    maxWorkers: 2,
    minWorkers: 1,
    // The skip reporter counts skipped tests; under TOB_REQUIRE_REAL=1 (CI) any skip fails the run.
    reporters: ["default", "./test/support/skip-reporter.ts"],
  },
});
