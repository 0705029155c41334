/**
 * messages.html: the router's message rates per second (between nodes, with
 * clients, with services, dropped by faults), over the faults' bands, as one
 * self-contained SVG page; written beside report.html by the net checker.
 */
import { NEMESIS, type History } from "../../src/history/op.js";

const SERIES: readonly [string, string][] = [
  ["servers", "#1f77b4"],
  ["clients", "#2ca02c"],
  ["services", "#9467bd"],
  ["dropped", "#d62728"],
];
const W = 900;
const H = 320;
const PAD = 48;
/** Which op ends a fault an op starts. */
const ENDS: Readonly<Record<string, string>> = { kill: "restart", pause: "resume" };

interface Band {
  label: string;
  startS: number;
  endS: number;
}

export function messagesChartHtml(perSecond: readonly Readonly<Record<string, number>>[], history: History): string {
  const seconds = Math.max(perSecond.length, 1);
  const max = Math.max(1, ...perSecond.flatMap((c) => SERIES.map(([k]) => c[k] ?? 0)));
  const x = (s: number) => PAD + (s / seconds) * (W - 2 * PAD);
  const y = (v: number) => H - PAD - (v / max) * (H - 2 * PAD);
  const bands = faultBands(history, seconds);
  const rects = bands
    .map(
      (b) =>
        `<rect x="${x(b.startS).toFixed(1)}" y="${PAD}" width="${Math.max(1, x(b.endS) - x(b.startS)).toFixed(1)}" height="${H - 2 * PAD}" fill="#f5a623" opacity="0.18"><title>${esc(b.label)}</title></rect>`,
    )
    .join("");
  const lines = SERIES.map(([k, color]) => {
    const pts = perSecond.map((c, s) => `${x(s + 0.5).toFixed(1)},${y(c[k] ?? 0).toFixed(1)}`).join(" ");
    return `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${pts}"><title>${k}</title></polyline>`;
  }).join("");
  const legend = SERIES.map(
    ([k, color], i) => `<text x="${PAD + i * 110}" y="${PAD - 16}" fill="${color}" font-size="12">■ ${k}</text>`,
  ).join("");
  const axes =
    `<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#888"/><line x1="${PAD}" y1="${PAD}" x2="${PAD}" y2="${H - PAD}" stroke="#888"/>` +
    `<text x="${PAD - 6}" y="${PAD + 4}" font-size="11" text-anchor="end">${max}</text><text x="${PAD - 6}" y="${H - PAD}" font-size="11" text-anchor="end">0</text>` +
    `<text x="${W - PAD}" y="${H - PAD + 16}" font-size="11" text-anchor="end">${seconds} s</text><text x="${PAD}" y="${H - PAD + 16}" font-size="11">0 s</text>`;
  const rows = bands.map((b) => `<li>${esc(b.label)}: ${b.startS.toFixed(1)}–${b.endS.toFixed(1)} s</li>`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tob · messages per second</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}svg{max-width:100%;height:auto}</style></head>
<body><h1>Messages per second through the router</h1>
<p>Between nodes (servers), with clients, with services, and dropped by a cut link; shaded: faults.</p>
<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="messages per second">${rects}${axes}${lines}${legend}</svg>
<ul>${rows}</ul></body></html>
`;
}

/** Fault intervals from the nemesis' ops (start-x ... stop-x, kill ... restart, pause ... resume, crash: to the end). */
function faultBands(history: History, endS: number): Band[] {
  const open = new Map<string, Band>();
  const out: Band[] = [];
  for (const op of history) {
    if (op.process !== NEMESIS || op.type !== "invoke") continue;
    const atS = op.time / 1e9;
    const label = `${op.f} ${JSON.stringify(op.value)}`;
    if (op.f.startsWith("start-")) open.set(`stop-${op.f.slice(6)}`, { label, startS: atS, endS });
    else if (ENDS[op.f]) open.set(ENDS[op.f] as string, { label, startS: atS, endS });
    else if (op.f === "crash") out.push({ label, startS: atS, endS });
    else {
      const band = open.get(op.f);
      if (band) out.push({ ...band, endS: atS });
      open.delete(op.f);
    }
  }
  return [...out, ...open.values()];
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
}
