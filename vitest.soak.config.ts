import { defineConfig } from "vitest/config";

/** `npm run test:soak`: long runs kept out of `npm test`; TOB_SOAK_SECONDS sets their length. */
export default defineConfig({
  test: {
    include: ["test/soak/**/*.test.ts"],
    testTimeout: 30 * 60_000,
    hookTimeout: 60_000,
    maxWorkers: 1,
    minWorkers: 1,
  },
});
