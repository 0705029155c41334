import { fmtInt, fmtMs, fmtRate, fmtS } from "./format.js";
import { describeSetUp } from "./spec.js";
import { verdictWord } from "./verdict.js";
import type { ReportView } from "./view.js";

/** summary.md has to fit one screen: a few faults and figures, the rest is in report.html. */
const FAULTS_LISTED_MAX = 5;
const CHECKER_FIGURES_MAX = 3;
const NOTES_MAX = 5;
const WHY_LINES_MAX = 3;
const WHY_CHARS_MAX = 160;

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function faultsLine(view: ReportView): string {
  if (view.faults.length === 0) return "none";
  const listed = view.faults.slice(0, FAULTS_LISTED_MAX).map((f) => {
    const end = f.open ? "end (not healed)" : fmtS(f.endNs / 1e9);
    return `${f.label} ${fmtS(f.startNs / 1e9)}–${end}`;
  });
  const more = view.faults.length - listed.length;
  return `${view.faults.length}: ${listed.join("; ")}${more > 0 ? `; +${more} more` : ""}`;
}

export function renderSummary(view: ReportView): string {
  const { counts, latency, verdicts } = view;
  const bad = verdicts.checkers.filter((c) => c.verdict !== true).length;
  const lines = [
    `# ${view.title}`,
    "",
    `**Verdict: ${verdictWord(verdicts.verdict).toUpperCase()}**` +
      (verdicts.checkers.length > 0 ? ` (${bad} of ${verdicts.checkers.length} checkers not valid)` : ""),
    "",
    `- Run: ${describeSetUp(view.spec) || "(test.json gives no set-up)"}`,
    `- Ops: ${fmtInt(counts.invoked)} invoked: ${fmtInt(counts.ok)} ok, ${fmtInt(counts.fail)} fail, ` +
      `${fmtInt(counts.info)} info, ${fmtInt(counts.pending)} pending`,
    `- Throughput: ${fmtRate(view.throughputOkPerS)} ok over ${fmtS(view.durationS)}`,
    `- Latency (ok): p50 ${fmtMs(latency.p50Ms)}, p99 ${fmtMs(latency.p99Ms)}, max ${fmtMs(latency.maxMs)}`,
    `- Faults: ${faultsLine(view)}`,
  ];
  const u = view.unavailable;
  if (u !== undefined) {
    const gap = u.thresholdMs === undefined ? "" : `, no ok for over ${fmtMs(u.thresholdMs)}`;
    lines.push(`- Unavailable (${u.checker}${gap}): ${u.windows} window${u.windows === 1 ? "" : "s"}, ${fmtMs(u.totalMs)} in all`);
  }
  if (verdicts.checkers.length > 0) {
    lines.push("", "| checker | verdict | figures |", "|---|---|---|");
    for (const c of verdicts.checkers) {
      const figures = c.figures.slice(0, CHECKER_FIGURES_MAX).map(([k, v]) => `${k}: ${v}`);
      if (c.counterexample) figures.push(`counterexample: ${c.counterexample}`);
      lines.push(`| ${cell(c.name)} | ${verdictWord(c.verdict)} | ${cell(figures.join(", "))} |`);
    }
  }
  // The first line of each violation's explanation: enough to know where to look in report.html.
  const why = verdicts.checkers.filter((c) => c.verdict === false && c.explanations.length > 0).slice(0, WHY_LINES_MAX);
  if (why.length > 0) lines.push("");
  for (const c of why) {
    const first = c.explanations[0]!.split("\n")[0]!;
    lines.push(`Why ${c.name}: ${first.length > WHY_CHARS_MAX ? first.slice(0, WHY_CHARS_MAX - 1) + "…" : first}`);
  }
  if (view.notes.length > 0) {
    lines.push("", "Notes:");
    for (const note of view.notes.slice(0, NOTES_MAX)) lines.push(`- ${note}`);
    if (view.notes.length > NOTES_MAX) lines.push(`- +${view.notes.length - NOTES_MAX} more in report.html`);
  }
  lines.push("", "Plots and every checker's full result: report.html");
  return lines.join("\n") + "\n";
}
