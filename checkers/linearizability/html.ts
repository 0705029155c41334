import type { Operation } from "../../src/history/pair.js";
import type { LinearizabilityResult } from "./check.js";
import type { Anomaly } from "./explain.js";
import { summarize } from "./explain.js";
import { escapeHtml as esc } from "../../src/escape.js";

const LANE_PX = 26;
const STEP_PX = 14;
const LEFT_PX = 90;
const OPS_SHOWN_MAX = 400;
const CONTEXT_OPS = 20;

/** The ops around the failure: the last linearized ones, the candidates, and what overlaps them. */
function windowOf(ops: Operation[], anomaly: Anomaly): Operation[] {
  const focus = new Set([...anomaly.linearized.slice(-CONTEXT_OPS), ...anomaly.candidates.map((c) => c.op.id), anomaly.stuck.id]);
  const byId = new Map(ops.map((op) => [op.id, op]));
  const focused = [...focus].map((id) => byId.get(id)).filter((op): op is Operation => op !== undefined);
  const from = Math.min(...focused.map((op) => op.invoke));
  const to = Math.max(...focused.map((op) => (Number.isFinite(op.complete) ? op.complete : op.invoke)));
  return ops.filter((op) => op.invoke <= to && op.complete >= from).slice(0, OPS_SHOWN_MAX);
}

/** A lane per process, each op a bar from invocation to completion (to the edge when unknown). */
function timeline(ops: Operation[], anomaly: Anomaly): string {
  const shown = windowOf(ops, anomaly);
  const positions = [...new Set(shown.flatMap((op) => (Number.isFinite(op.complete) ? [op.invoke, op.complete] : [op.invoke])))].sort(
    (a, b) => a - b,
  );
  const x = new Map(positions.map((p, k) => [p, LEFT_PX + k * STEP_PX]));
  const right = LEFT_PX + positions.length * STEP_PX + 40;
  const processes = [...new Set(shown.map((op) => String(op.process)))].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const lane = new Map(processes.map((p, k) => [p, k]));
  const order = new Map(anomaly.linearized.map((id, k) => [id, k + 1]));
  const candidates = new Set(anomaly.candidates.map((c) => c.op.id));
  const rows = processes.map(
    (p, k) =>
      `<text x="4" y="${k * LANE_PX + 18}" class="lane">process ${esc(p)}</text><line x1="0" x2="${right}" y1="${k * LANE_PX + LANE_PX}" y2="${k * LANE_PX + LANE_PX}" class="sep"/>`,
  );
  const bars = shown.map((op) => {
    const x1 = x.get(op.invoke) as number;
    const x2 = Number.isFinite(op.complete) ? (x.get(op.complete) as number) : right - 10;
    const y = (lane.get(String(op.process)) as number) * LANE_PX + 5;
    const cls = op.id === anomaly.stuck.id ? "stuck" : order.has(op.id) ? "lin" : candidates.has(op.id) ? "cand" : "other";
    const label = order.has(op.id) ? `#${order.get(op.id)} ` : "";
    const s = summarize(op);
    return (
      `<g class="${cls}${op.known ? "" : " unknown"}"><title>${esc(s.text)} (history ${s.invoke}..${s.complete ?? "never"})${order.has(op.id) ? `, linearized #${order.get(op.id)}` : ""}</title>` +
      `<rect x="${x1}" y="${y}" width="${Math.max(6, x2 - x1)}" height="${LANE_PX - 10}" rx="3"/>` +
      `<text x="${x1 + 3}" y="${y + 12}">${esc(label + op.f + " " + JSON.stringify(op.value ?? null) + (op.known ? "→" + JSON.stringify(op.output ?? null) : ""))}</text></g>`
    );
  });
  const height = processes.length * LANE_PX + 10;
  return `<svg width="${right}" height="${height}">${rows.join("")}${bars.join("")}</svg>`;
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}pre{background:#f6f6f6;padding:1em;overflow:auto}
.scroll{overflow-x:auto;border:1px solid #ddd}svg text{font:10px monospace;pointer-events:none}svg .lane{font:11px system-ui}
.sep{stroke:#eee}.lin rect{fill:#b7e4c7;stroke:#2d6a4f}.stuck rect{fill:#f8a5a5;stroke:#c00;stroke-width:2}
.cand rect{fill:#ffd8a8;stroke:#e8590c}.other rect{fill:#e9ecef;stroke:#adb5bd}.unknown rect{stroke-dasharray:4 2}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left}.false{color:#c00}.unknown-v{color:#a60}`;

/**
 * A self-contained page (inline CSS and SVG, no script, no network) that
 * explains a check: per-partition verdicts and, for a violation, the timeline
 * with the partial linearization numbered, the owed op in red and the
 * candidates that could not follow in orange.
 */
export function renderHtml(title: string, result: LinearizabilityResult, partitionOps: Map<string, Operation[]>): string {
  const verdict = result.valid === true ? "linearizable" : result.valid === false ? "NOT linearizable" : "unknown (out of budget)";
  const table = Object.entries(result.partitions)
    .map(
      ([name, p]) =>
        `<tr><td>${esc(name)}</td><td class="${p.valid === false ? "false" : p.valid === "unknown" ? "unknown-v" : ""}">${String(p.valid)}${p.reason ? ` (${p.reason})` : ""}</td><td>${p.ops}</td><td>${p.linearized}</td><td>${p.ms}</td></tr>`,
    )
    .join("");
  const anomalies = result.anomalies.map((a) => {
    const ops = partitionOps.get(a.partition) ?? [];
    return `<h2>Partition ${esc(a.partition)}</h2><pre>${esc(a.text)}</pre>
<p>Bars run from invocation to completion (dashed: outcome unknown). Green: the longest linearizable prefix, numbered in linearization order; red: the operation owed next; orange: operations that could come next but lead nowhere.</p>
<div class="scroll">${timeline(ops, a)}</div>`;
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body>
<h1>${esc(title)}: ${verdict}</h1><p>model ${esc(result.model)}, ${result["op-count"]} operations, ${result["time-ms"]} ms</p>
<table><tr><th>partition</th><th>valid</th><th>ops</th><th>linearized</th><th>ms</th></tr>${table}</table>
${anomalies.join("\n")}</body></html>`;
}
