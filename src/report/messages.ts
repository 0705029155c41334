/**
 * The message rates of a run whose network is tob's router (Maelstrom nodes):
 * messages per second between nodes, with clients, with services and dropped
 * by cut links, over the run's fault bands, drawn as an inline SVG in the
 * report. The series come from a checker's `per-second` figure (the net
 * checker's); the bands are the report's own fault intervals, so the plot and
 * the latency charts shade the same stretches.
 */
import { faultColour } from "../history/faults.js";
import { NS_PER_S } from "../history/op.js";
import type { ReportView } from "./view.js";
import { escapeHtml as esc } from "../escape.js";

const SERIES: readonly [string, string][] = [
  ["servers", "#1f77b4"],
  ["clients", "#2ca02c"],
  ["services", "#9467bd"],
  ["dropped", "#d62728"],
];
const W = 900;
const H = 300;
const PAD = 48;

type Counts = Readonly<Record<string, number>>;

/** The first checker result carrying a per-second series of message counts. */
function perSecondOf(view: ReportView): Counts[] | undefined {
  for (const c of view.verdicts.checkers) {
    const series = (c.result as { "per-second"?: unknown } | null)?.["per-second"];
    if (Array.isArray(series) && series.every((s) => typeof s === "object" && s !== null)) return series as Counts[];
  }
  return undefined;
}

export function messagesSection(view: ReportView): string {
  const perSecond = perSecondOf(view);
  if (perSecond === undefined || perSecond.length === 0) return "";
  const seconds = Math.max(perSecond.length, view.durationS, 1);
  const max = Math.max(1, ...perSecond.flatMap((c) => SERIES.map(([k]) => c[k] ?? 0)));
  const x = (s: number) => PAD + (Math.min(s, seconds) / seconds) * (W - 2 * PAD);
  const y = (v: number) => H - PAD - (v / max) * (H - 2 * PAD);
  const bands = view.faults
    .map((f) => {
      const x0 = x(f.startNs / NS_PER_S);
      const width = Math.max(1, x(f.endNs / NS_PER_S) - x0);
      return `<rect x="${x0.toFixed(1)}" y="${PAD}" width="${width.toFixed(1)}" height="${H - 2 * PAD}" fill="${faultColour(f.kind)}"><title>${esc(f.label)}</title></rect>`;
    })
    .join("");
  const lines = SERIES.map(([k, colour]) => {
    const points = perSecond.map((c, s) => `${x(s + 0.5).toFixed(1)},${y(c[k] ?? 0).toFixed(1)}`).join(" ");
    return `<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${points}"><title>${k}</title></polyline>`;
  }).join("");
  const legend = SERIES.map(
    ([k, colour], i) => `<text x="${PAD + i * 110}" y="${PAD - 16}" fill="${colour}" font-size="12">■ ${k}</text>`,
  ).join("");
  const axes =
    `<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#888"/>` +
    `<line x1="${PAD}" y1="${PAD}" x2="${PAD}" y2="${H - PAD}" stroke="#888"/>` +
    `<text x="${PAD - 6}" y="${PAD + 4}" font-size="11" text-anchor="end">${max}</text>` +
    `<text x="${PAD - 6}" y="${H - PAD}" font-size="11" text-anchor="end">0</text>` +
    `<text x="${PAD}" y="${H - PAD + 16}" font-size="11">0 s</text>` +
    `<text x="${W - PAD}" y="${H - PAD + 16}" font-size="11" text-anchor="end">${seconds.toFixed(0)} s</text>`;
  return (
    `<section class="card" id="messages"><h2>Messages per second</h2>` +
    `<p class="hint">Through the router: between nodes (servers), with clients, with services, and dropped by a cut link; shaded bands are faults.</p>` +
    `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="messages per second" style="max-width:100%;height:auto">${bands}${axes}${lines}${legend}</svg></section>`
  );
}
