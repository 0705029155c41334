import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

/**
 * uPlot, inlined into every report so it opens offline from file://. Chosen
 * for being small (about 50 KB), canvas-based (fast with 50k points) and
 * dependency-free; its IIFE build defines one global, `uPlot`.
 */
export interface ChartAssets {
  js: string;
  css: string;
}

let cached: Promise<ChartAssets> | undefined;

export function chartAssets(): Promise<ChartAssets> {
  if (cached === undefined) {
    const require = createRequire(import.meta.url);
    cached = Promise.all([
      readFile(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8"),
      readFile(require.resolve("uplot/dist/uPlot.min.css"), "utf8"),
    ]).then(
      ([js, css]) => ({ js, css }),
      (err: unknown) => {
        // Not cached: a later call retries (once the install is fixed) instead of replaying the failure.
        cached = undefined;
        throw err;
      },
    );
  }
  return cached;
}
