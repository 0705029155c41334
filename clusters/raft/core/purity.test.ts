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

const IMPORT = /(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** Comments may name what is forbidden (types.ts says "never Math.random"); code may not. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
}

/** Problems in one source file: forbidden calls, and imports that leave core/. */
function impurities(text: string): string[] {
  const source = stripComments(text);
  const problems: string[] = [];
  for (const [pattern, name] of FORBIDDEN) if (pattern.test(source)) problems.push(name);
  for (const match of source.matchAll(IMPORT)) {
    const spec = (match[1] ?? match[2]) as string;
    if (!/^\.\/[^/]+\.js$/.test(spec)) problems.push(`import "${spec}"`);
  }
  return problems;
}

const coreDir = dirname(fileURLToPath(import.meta.url));

describe("the core is pure", () => {
  const sources = readdirSync(coreDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

  it("has sources to scan", () => {
    expect(sources).toContain("raft.ts");
  });

  it.each(sources)("%s uses no clock, timer, randomness, process, I/O or outside import", (file) => {
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
      'import { readFileSync } from "node:fs";',
      'import * as net from "net";',
      'import { x } from "fs";',
      'import { Op } from "../../../src/history/op.js";',
      'import { Disk } from "../sim/disk.js";',
      'const m = await import("node:os");',
    ];
    for (const line of bad) expect(impurities(line), line).not.toEqual([]);
    expect(impurities("// Math.random is banned\n/* so is Date.now */")).toEqual([]);
    expect(impurities('import { assert } from "./assert.js";\nimport type { Entry } from "./types.js";')).toEqual([]);
  });
});
