/**
 * An Elle result as one self-contained HTML page (no scripts, no CDN): the
 * verdict, the models ruled out, and each kept anomaly; a cycle is drawn as
 * an inline SVG diagram (txns on a circle, one labelled arrow per step) beside
 * its explanation in words.
 */
import type { ElleResult } from "./analyze.js";
import type { Explained, Step } from "./explain.js";
import { escapeHtml as esc } from "../../src/escape.js";

/** Colour of each kind of step: data dependencies warm to cold, session steps grey. */
const COLOURS: Record<string, string> = { ww: "#c0392b", wr: "#2471a3", rw: "#d68910", process: "#7f8c8d", realtime: "#566573" };

const isCycle = (anomaly: Record<string, unknown>): anomaly is Record<string, unknown> & Explained =>
  Array.isArray(anomaly.cycle) && Array.isArray(anomaly.steps);

/** The cycle as SVG: T1..Tn clockwise from the top, an arrow for each step labelled with its kind. */
export function cycleSvg(anomaly: Explained): string {
  const n = anomaly.cycle.length;
  const size = 260;
  const centre = size / 2;
  const radius = n === 2 ? 70 : 90;
  const nodeRadius = 22;
  const at = (i: number): [number, number] => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return [centre + radius * Math.cos(angle), centre + radius * Math.sin(angle)];
  };
  const arrows = anomaly.steps.map((step: Step, i: number) => {
    const [x1, y1] = at(i);
    const [x2, y2] = at((i + 1) % n);
    const length = Math.hypot(x2 - x1, y2 - y1);
    const [ux, uy] = [(x2 - x1) / length, (y2 - y1) / length];
    // bend outwards so that the two arrows of a 2-cycle do not overlap
    const [mx, my] = [(x1 + x2) / 2 - uy * 28, (y1 + y2) / 2 + ux * 28];
    const [sx, sy] = [x1 + ux * nodeRadius, y1 + uy * nodeRadius];
    const [ex, ey] = [x2 - ux * (nodeRadius + 4), y2 - uy * (nodeRadius + 4)];
    const colour = COLOURS[step.type] ?? "#000";
    return (
      `<path d="M${sx.toFixed(1)},${sy.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}" fill="none" stroke="${colour}" stroke-width="2" marker-end="url(#arrow-${step.type})"><title>${esc(step.text)}</title></path>` +
      `<text x="${mx.toFixed(1)}" y="${my.toFixed(1)}" fill="${colour}" font-size="12" text-anchor="middle" class="edge">${esc(step.type)}</text>`
    );
  });
  const nodes = anomaly.cycle.map((txn, i) => {
    const [x, y] = at(i);
    return (
      `<g class="txn"><circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${nodeRadius}" fill="#fdfefe" stroke="#17202a" stroke-width="1.5"><title>op ${txn.op}, process ${esc(String(txn.process))}: ${esc(JSON.stringify(txn.value))}</title></circle>` +
      `<text x="${x.toFixed(1)}" y="${(y + 4).toFixed(1)}" font-size="13" text-anchor="middle">T${i + 1}</text></g>`
    );
  });
  const markers = Object.entries(COLOURS).map(
    ([type, colour]) =>
      `<marker id="arrow-${type}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" class="cycle" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-label="a cycle of ${n} txns"><defs>${markers.join("")}</defs>${arrows.join("")}${nodes.join("")}</svg>`;
}

function anomalyHtml(anomaly: Record<string, unknown>): string {
  const text = typeof anomaly.explanation === "string" ? anomaly.explanation : JSON.stringify(anomaly, null, 1);
  if (!isCycle(anomaly)) return `<div class="anomaly"><pre>${esc(text)}</pre></div>`;
  return `<div class="anomaly cycle-anomaly">${cycleSvg(anomaly)}<pre>${esc(text)}</pre></div>`;
}

export function renderElleHtml(result: ElleResult, title = "Elle"): string {
  const verdict = result.valid ? "valid" : "INVALID";
  const sections = result["anomaly-types"].map((type) => {
    const kept = result.anomalies[type] ?? [];
    const count = result["anomaly-counts"][type] ?? kept.length;
    return `<section><h2 id="${esc(type)}">${esc(type)} <small>${count} found${count > kept.length ? `, ${kept.length} shown` : ""}</small></h2>${kept.map(anomalyHtml).join("")}</section>`;
  });
  const list = (models: string[]): string => (models.length === 0 ? "none" : models.map(esc).join(", "));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}: ${verdict}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #17202a; }
.verdict { font-size: 1.4em; font-weight: bold; color: ${result.valid ? "#1e8449" : "#c0392b"}; }
.anomaly { display: flex; gap: 1.5em; align-items: flex-start; border-top: 1px solid #d5d8dc; padding: 1em 0; }
pre { white-space: pre-wrap; margin: 0; font-size: 0.9em; }
small { font-weight: normal; color: #566573; }
dt { font-weight: bold; }
</style></head><body>
<h1>${esc(title)}</h1>
<p class="verdict">${verdict} under ${list(result["consistency-models"])}</p>
<dl>
<dt>not</dt><dd class="not">${list(result.not)}</dd>
<dt>also not</dt><dd class="also-not">${list(result["also-not"])}</dd>
<dt>txns</dt><dd>${result.stats.txns} (${result.stats.ok} ok, ${result.stats.info} info, ${result.stats.fail} fail) over ${result.stats.keys} keys</dd>
</dl>
${sections.join("\n") || "<p>No anomalies.</p>"}
</body></html>
`;
}
