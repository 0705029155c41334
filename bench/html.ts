import { chartAssets } from "../src/report/assets.js";
import { median } from "../src/gate/measurements.js";
import type { ScenarioResult } from "./throughput.js";

/** A series of the throughput plot: one scenario family (all but connections fixed). */
interface Family {
  label: string;
  connections: number[];
  okPerSec: number[];
  latencyMsP99: number[];
  /** Latency CDF of the median trial at the largest connection count. */
  cdf: [number, number][];
}

function families(results: ScenarioResult[]): Family[] {
  const byLabel = new Map<string, ScenarioResult[]>();
  for (const r of results) {
    const label = r.name.replace(/ c\d+ /, " ");
    byLabel.set(label, [...(byLabel.get(label) ?? []), r]);
  }
  return [...byLabel.entries()].map(([label, rs]) => {
    const sorted = [...rs].sort((a, b) => a.connections - b.connections);
    const last = sorted[sorted.length - 1]!;
    const medianTrial = [...last.trials].sort((a, b) => a.okPerSec - b.okPerSec)[last.trials.length >> 1]!;
    return {
      label,
      connections: sorted.map((r) => r.connections),
      okPerSec: sorted.map((r) => median(r.trials.map((t) => t.okPerSec))),
      latencyMsP99: sorted.map((r) => median(r.trials.map((t) => t.latencyMsP99))),
      cdf: medianTrial.latencyCdf,
    };
  });
}

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563", "#db2777"];

/** A self-contained page (uPlot inlined): throughput against connections, and latency CDFs. */
export async function benchHtml(title: string, results: ScenarioResult[]): Promise<string> {
  const assets = await chartAssets();
  const data = JSON.stringify(families(results)).replace(/</g, "\\u003c");
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title>
<style>${assets.css}
body{font-family:system-ui,sans-serif;margin:24px;color:#111}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}
</style></head><body>
<h1>${title}</h1>
<p>Only 2xx answers count as throughput. Medians over trials.</p>
<h2>Throughput against connections</h2><div id="throughput"></div>
<h2>Latency CDF (largest connection count of each series)</h2><div id="cdf"></div>
<h2>Figures</h2><table id="table"><tr><th>series</th><th>connections</th><th>ok/s</th><th>p99 ms</th></tr></table>
<script>${assets.js}</script>
<script>
const families = ${data};
const colors = ${JSON.stringify(COLORS)};
window.__tobCharts = [];
function draw(id, xs, series, xLabel, yLabel, logX) {
  const el = document.getElementById(id);
  const opts = { width: Math.min(1100, window.innerWidth - 60), height: 320,
    scales: { x: { time: false, distr: logX ? 3 : 1 } },
    axes: [{ label: xLabel }, { label: yLabel }],
    series: [{ label: xLabel }, ...series.map((s, i) => ({ label: s.label, stroke: colors[i % colors.length], width: 2, points: { show: true } }))] };
  new uPlot(opts, [xs, ...series.map((s) => s.ys)], el);
  window.__tobCharts.push({ id, points: series.reduce((n, s) => n + s.ys.filter((y) => y !== null).length, 0) });
}
const conns = [...new Set(families.flatMap((f) => f.connections))].sort((a, b) => a - b);
draw("throughput", conns, families.map((f) => ({ label: f.label, ys: conns.map((c) => { const i = f.connections.indexOf(c); return i < 0 ? null : f.okPerSec[i]; }) })), "connections", "ok/s", true);
const pct = [...new Set(families.flatMap((f) => f.cdf.map((p) => p[0])))].sort((a, b) => a - b);
draw("cdf", pct, families.map((f) => ({ label: f.label, ys: pct.map((p) => { const q = f.cdf.find((x) => x[0] === p); return q ? q[1] : null; }) })), "percentile", "latency ms", false);
const table = document.getElementById("table");
for (const f of families) f.connections.forEach((c, i) => {
  const tr = document.createElement("tr");
  for (const v of [f.label, c, Math.round(f.okPerSec[i]), f.latencyMsP99[i].toFixed(1)]) { const td = document.createElement("td"); td.textContent = String(v); tr.appendChild(td); }
  table.appendChild(tr);
});
</script></body></html>
`;
}
