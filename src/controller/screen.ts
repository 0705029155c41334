/**
 * The one-screen summary `tob run` and `tob report` end with: the verdict,
 * each checker's verdict and anomalies, op counts, faults, and where the
 * results and the report are.
 */
import { relative } from "node:path";
import type { Verdict } from "../../checkers/verdict.js";
import type { RunResults } from "./results.js";
import type { TestJson } from "./spec.js";

const WHY_LINES_MAX = 4;
const WHY_CHARS_MAX = 160;

const WORD: Record<string, string> = { true: "VALID", false: "INVALID", unknown: "UNKNOWN" };

export function verdictWord(v: Verdict): string {
  return WORD[String(v)] ?? "UNKNOWN";
}

export function summaryScreen(runDir: string, test: TestJson | null, results: RunResults, reportHtml: string | null): string {
  const s = test?.spec;
  // Relative when under the working folder (short), absolute otherwise (unambiguous).
  const rel = (p: string) => {
    const r = relative(process.cwd(), p);
    return r === "" ? "." : r.startsWith("..") ? p : r;
  };
  const lines: string[] = [];
  if (s) {
    lines.push(
      `${s.workload} on ${s.cluster}, ${s.nodes} nodes, nemesis ${s.nemesis.join(",") || "none"}, ${s.time}s + ${s.recoveryS}s recovery, ` +
        `concurrency ${s.concurrency}, ${s.rate} ops/s, seed ${s.seed}${s.bugs.length ? `, bug ${s.bugs.join(",")}` : ""}`,
    );
  }
  const st = results.stats;
  lines.push(`ops ${st.ops} (ok ${st.ok}, fail ${st.fail}, info ${st.info}) in ${st.durationS}s; faults injected ${st.faults}`);
  const width = Math.max(...Object.keys(results.results).map((n) => n.length), 8);
  for (const [name, r] of Object.entries(results.results)) {
    const anomalies = (r["anomaly-types"] as string[] | undefined) ?? (r.failed as string[] | undefined) ?? [];
    const extra = anomalies.length
      ? `  anomalies: ${anomalies.join(", ")}`
      : typeof r.error === "string"
        ? `  (${r.error.slice(0, 100)})`
        : "";
    lines.push(`  ${name.padEnd(width)}  ${verdictWord(r.valid)}${extra}`);
    if (r.valid === false) for (const line of why(r)) lines.push(`      ${line.slice(0, WHY_CHARS_MAX)}`);
  }
  lines.push(`verdict: ${verdictWord(results.valid)}`);
  lines.push(`  results  ${rel(runDir)}`);
  if (reportHtml) lines.push(`  report   ${rel(reportHtml)}`);
  lines.push(`  replay   tob run --replay ${rel(runDir)}`);
  return lines.join("\n") + "\n";
}

/**
 * A few lines saying why a checker found the run invalid: the explanation of
 * its first anomaly when it writes one (linearizability), else its first
 * counterexample. The whole story is in results.json and report.html.
 */
function why(r: Record<string, unknown>): string[] {
  const anomalies = r.anomalies;
  if (Array.isArray(anomalies) && typeof anomalies[0]?.text === "string")
    return (anomalies[0].text as string).split("\n").slice(0, WHY_LINES_MAX);
  const first = (list: unknown) => (Array.isArray(list) && list.length > 0 ? [`e.g. ${JSON.stringify(list[0])}`] : null);
  if (Array.isArray(r.failed) && typeof r.properties === "object" && r.properties !== null) {
    const props = r.properties as Record<string, { examples?: unknown }>;
    for (const name of r.failed as string[]) {
      const example = first(props[name]?.examples);
      if (example) return [`${name}: ${example[0]}`];
    }
  }
  if (anomalies && typeof anomalies === "object" && !Array.isArray(anomalies)) {
    for (const [type, list] of Object.entries(anomalies)) {
      const example = first(list);
      if (example) return [`${type}: ${example[0]}`];
    }
  }
  for (const field of ["examples", "two-winners", "lost-claims"]) {
    const example = first(r[field]);
    if (example) return example;
  }
  return [];
}
