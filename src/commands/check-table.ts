import type { Verdict } from "../../checkers/verdict.js";

export interface FileRow {
  file: string;
  checker: string;
  /** a verdict, or "input error" when the file could not be checked */
  verdict: Verdict | "input error";
  ops: number | null;
  timeMs: number;
}

const WORDS: Record<string, string> = { true: "valid", false: "INVALID", unknown: "unknown", "input error": "input error" };

/** The one-screen summary of a check over several files: one row each, columns aligned. */
export function summaryTable(rows: readonly FileRow[]): string {
  const cells = [
    ["file", "checker", "verdict", "ops", "time"],
    ...rows.map((r) => [r.file, r.checker, WORDS[String(r.verdict)], r.ops === null ? "-" : String(r.ops), `${r.timeMs.toFixed(0)} ms`]),
  ];
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  const right = new Set([3, 4]);
  return (
    cells
      .map((row) =>
        row
          .map((cell, c) => (right.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
          .join("  ")
          .trimEnd(),
      )
      .join("\n") + "\n"
  );
}
