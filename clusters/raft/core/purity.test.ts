import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** What the pure core must never touch: wall clocks, global randomness, timers, the process, I/O. */
const FORBIDDEN: Array<[RegExp, string]> = [
  [/\bDate\.now\b/, "Date.now"],
  [/\bnew Date\b/, "new Date"],
  [/\bMath\.random\b/, "Math.random"],
  [/\bsetTimeout\b/, "setTimeout"],
  [/\bsetInterval\b/, "setInterval"],
  [/\bsetImmediate\b/, "setImmediate"],
  [/\bperformance\.now\b/, "performance.now"],
  [/\bprocess\./, "process."],
  [/\brequire\(/, "require("],
];

/** Comments may name what is forbidden (types.ts says "never Math.random"); code may not. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
}

/** Forbidden calls in one source file. Imports that leave core/ are test/layers.test.ts's to catch. */
function impurities(text: string): string[] {
  const source = stripComments(text);
  return FORBIDDEN.filter(([pattern]) => pattern.test(source)).map(([, name]) => name);
}

const coreDir = dirname(fileURLToPath(import.meta.url));

describe("the core is pure", () => {
  const sources = readdirSync(coreDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

  it("has sources to scan", () => {
    expect(sources).toContain("raft.ts");
  });

  it.each(sources)("%s uses no clock, timer, randomness, process or require", (file) => {
    expect(impurities(readFileSync(join(coreDir, file), "utf8"))).toEqual([]);
  });

  it("catches every forbidden pattern (the scan can fail)", () => {
    const bad = [
      "const t = Date.now();",
      "const r = Math.random();",
      "setTimeout(f, 1);",
      "setInterval(f, 1);",
      "performance.now();",
      "process.exit(1);",
      'const fs = require("fs");',
    ];
    for (const line of bad) expect(impurities(line), line).not.toEqual([]);
    expect(impurities("// Math.random is banned\n/* so is Date.now */")).toEqual([]);
    expect(impurities('import { assert } from "./assert.js";\nimport type { Entry } from "./types.js";')).toEqual([]);
  });
});
