import type { GateOutcome } from "./compare.js";

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);
}

/** One test case per gate check, so CI systems show each regression by name. */
export function toJunitXml(outcome: GateOutcome): string {
  const failures = outcome.checks.filter((c) => !c.passed).length;
  const cases = outcome.checks.map((c) => {
    const name = escapeXml(`${c.kind}: ${c.name}`);
    const body = c.passed ? "" : `<failure message="${escapeXml(c.message)}"/>`;
    return `    <testcase classname="tob.gate" name="${name}">${body}<system-out>${escapeXml(c.message)}</system-out></testcase>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites tests="${outcome.checks.length}" failures="${failures}">`,
    `  <testsuite name="tob gate" tests="${outcome.checks.length}" failures="${failures}">`,
    ...cases,
    `  </testsuite>`,
    `</testsuites>`,
    ``,
  ].join("\n");
}

export function toMarkdown(outcome: GateOutcome, baselineSource: string, currentSource: string): string {
  const lines = [
    `# tob gate: ${outcome.passed ? "PASSED" : "FAILED"}`,
    ``,
    `Baseline: \`${baselineSource}\`; current: \`${currentSource}\`.`,
    ``,
    `| check | result | detail |`,
    `|---|---|---|`,
    ...outcome.checks.map((c) => `| ${c.kind} ${c.name} | ${c.passed ? "pass" : "**FAIL**"} | ${c.message.replace(/\|/g, "\\|")} |`),
    ``,
  ];
  return lines.join("\n");
}
