import type { GateCheck } from "./compare.js";
import { escapeHtml as escapeXml } from "../escape.js";

/** What every gate mode reports: a verdict, how it was reached, and one check per figure. */
export interface GateReport {
  passed: boolean;
  /** How the figures were compared, for the reader: e.g. "relative to controls" or "A/B over 6 rounds". */
  method: string;
  baselineSource: string;
  currentSource: string;
  checks: GateCheck[];
}

/** One test case per gate check, so CI systems show each regression by name. */
export function toJunitXml(report: GateReport): string {
  const failures = report.checks.filter((c) => !c.passed).length;
  const cases = report.checks.map((c) => {
    const name = escapeXml(`${c.kind}: ${c.name}`);
    const body = c.passed ? "" : `<failure message="${escapeXml(c.message)}"/>`;
    return `    <testcase classname="tob.gate" name="${name}">${body}<system-out>${escapeXml(c.message)}</system-out></testcase>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites tests="${report.checks.length}" failures="${failures}">`,
    `  <testsuite name="tob gate" tests="${report.checks.length}" failures="${failures}">`,
    ...cases,
    `  </testsuite>`,
    `</testsuites>`,
    ``,
  ].join("\n");
}

/** A summary fit for a pull-request comment. */
export function toMarkdown(report: GateReport): string {
  const lines = [
    `# tob gate: ${report.passed ? "PASSED" : "FAILED"}`,
    ``,
    `Compared ${report.method}. Baseline: \`${report.baselineSource}\`; current: \`${report.currentSource}\`.`,
    ``,
    `| check | result | detail |`,
    `|---|---|---|`,
    ...report.checks.map((c) => `| ${c.kind} ${c.name} | ${c.passed ? "pass" : "**FAIL**"} | ${c.message.replace(/\|/g, "\\|")} |`),
    ``,
  ];
  return lines.join("\n");
}
