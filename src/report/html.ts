import { FAULT_DESCRIPTORS, OTHER_FAULT_COLOUR } from "../history/faults.js";
import type { ChartAssets } from "./assets.js";
import { CHARTS_SCRIPT } from "./charts-script.js";
import { fmtInt, fmtMs, fmtRate, fmtS } from "./format.js";
import { messagesSection } from "./messages.js";
import { PAGE_CSS } from "./page-css.js";
import type { ChartData } from "./series.js";
import { describeSetUp } from "./spec.js";
import { verdictWord, type CheckerView } from "./verdict.js";
import type { ReportView } from "./view.js";
import { escapeHtml as esc } from "../escape.js";

/** What the charts script reads from the page's JSON block. */
export interface PageData extends ChartData {
  faultColors: Record<string, string>;
}

/** Each fault kind's band colour, from its descriptor (src/history/faults.ts). */
const FAULT_COLORS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(FAULT_DESCRIPTORS.map((d) => [d.kind, d.colour])),
  other: OTHER_FAULT_COLOUR,
};

/** A checker's JSON beyond this is cut: the page must stay small for a huge counterexample. */
const CHECKER_JSON_CHARS_MAX = 100_000;
const FAULT_ROWS_MAX = 200;
/** Long arrays (perf's plot points, a big anomaly list) are cut in the JSON view; results.json has them whole. */
const JSON_ARRAY_ITEMS_SHOWN = 20;

/** Text that can sit inside <script> without closing it. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

function stat(label: string, value: string): string {
  return `<div class="stat"><div class="k">${esc(label)}</div><div class="v">${esc(value)}</div></div>`;
}

function banner(view: ReportView): string {
  const { verdict, checkers } = view.verdicts;
  const word = verdictWord(verdict);
  const notValid = checkers.filter((c) => c.verdict !== true).map((c) => c.name);
  const detail =
    checkers.length === 0
      ? "no checker results"
      : notValid.length === 0
        ? `all ${checkers.length} checkers valid`
        : `${notValid.length} of ${checkers.length} checkers not valid: ${notValid.join(", ")}`;
  return (
    `<section id="verdict" class="banner ${word}" data-verdict="${word}">` +
    `<span class="word">${word.toUpperCase()}</span><span class="detail">${esc(detail)}</span></section>`
  );
}

function stats(view: ReportView): string {
  const { counts, latency } = view;
  return `<section class="stats">${[
    stat("ops invoked", fmtInt(counts.invoked)),
    stat("ok", fmtInt(counts.ok)),
    stat("fail", fmtInt(counts.fail)),
    stat("info + pending", fmtInt(counts.info + counts.pending)),
    stat("throughput (ok)", fmtRate(view.throughputOkPerS)),
    stat("latency p50", fmtMs(latency.p50Ms)),
    stat("latency p99", fmtMs(latency.p99Ms)),
    stat("duration", fmtS(view.durationS)),
    stat("faults", fmtInt(view.faults.length)),
    ...(view.unavailable ? [stat("unavailable", fmtMs(view.unavailable.totalMs))] : []),
  ].join("")}</section>`;
}

function faultChips(view: ReportView): string {
  const kinds = [...new Set(view.faults.map((f) => f.kind))];
  const chip = (color: string, text: string) => `<span class="chip"><i style="background:${color}"></i>${esc(text)}</span>`;
  const chips = [
    chip("rgba(26,127,55,0.7)", "ok"),
    chip("rgba(207,34,46,0.85)", "fail"),
    chip("rgba(191,135,0,0.85)", "info (outcome unknown)"),
    ...kinds.map((k) => chip(FAULT_COLORS[k] ?? FAULT_COLORS.other!, `fault: ${k}`)),
  ];
  return `<div class="chips">${chips.join("")}</div>`;
}

function charts(view: ReportView): string {
  const { scatter, bucketS } = view.charts;
  const sampled =
    scatter.t.length < scatter.total
      ? ` Showing ${fmtInt(scatter.t.length)} of ${fmtInt(scatter.total)} ops, evenly sampled; fail and info ops are kept first.`
      : "";
  const per = bucketS === 1 ? "per second" : `per ${bucketS} s`;
  return (
    `<section class="card"><h2>Latency</h2><p class="hint">Each completed op at its invoke time; shaded bands are faults.` +
    `${esc(sampled)} Drag to zoom, double-click to reset.</p><div id="chart-latency" class="chart"></div>${faultChips(view)}</section>` +
    `<div class="grid2">` +
    `<section class="card"><h2>Latency quantiles</h2><p class="hint">p50 and p99 of ok ops, ${per}, by invoke time</p>` +
    `<div id="chart-quantiles" class="chart"></div></section>` +
    `<section class="card"><h2>Throughput</h2><p class="hint">Completions ${per}, by outcome</p>` +
    `<div id="chart-throughput" class="chart"></div></section></div>`
  );
}

function percentileTable(view: ReportView): string {
  if (view.table.length === 0) return "";
  const head = ["f", "ok", "fail", "info", "p50", "p90", "p99", "p99.9", "max"].map((h) => `<th>${h}</th>`).join("");
  const rows = view.table.map((r) => {
    const l = r.latency;
    const cells = [r.f, fmtInt(r.ok), fmtInt(r.fail), fmtInt(r.info)].concat([l.p50Ms, l.p90Ms, l.p99Ms, l.p999Ms, l.maxMs].map(fmtMs));
    return `<tr>${cells.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`;
  });
  return (
    `<section class="card"><h2>Latency by function</h2><p class="hint">Quantiles over ok ops (exact, nearest rank)</p>` +
    `<table><thead><tr>${head}</tr></thead><tbody>${rows.join("")}</tbody></table></section>`
  );
}

function checkerJson(result: unknown): string {
  let text: string;
  try {
    const cut = (_key: string, v: unknown) =>
      Array.isArray(v) && v.length > JSON_ARRAY_ITEMS_SHOWN
        ? [...v.slice(0, JSON_ARRAY_ITEMS_SHOWN), `… ${v.length - JSON_ARRAY_ITEMS_SHOWN} more in results.json`]
        : v;
    text = JSON.stringify(result, cut, 2) ?? "undefined";
  } catch (err) {
    text = `(not serialisable: ${(err as Error).message})`;
  }
  if (text.length <= CHECKER_JSON_CHARS_MAX) return text;
  return `${text.slice(0, CHECKER_JSON_CHARS_MAX)}\n… cut at ${fmtInt(CHECKER_JSON_CHARS_MAX)} of ${fmtInt(text.length)} characters; see results.json`;
}

function checker(c: CheckerView): string {
  const word = verdictWord(c.verdict);
  const figs = c.figures.map(([k, v]) => `${k}: ${v}`).join(" · ");
  const link = c.counterexample ? ` <a href="${esc(c.counterexample)}">counterexample timeline</a>` : "";
  return (
    `<details class="checker"${c.verdict === true ? "" : " open"}><summary>` +
    `<span class="badge ${word}">${word}</span><b>${esc(c.name)}</b><span class="figs">${esc(figs)}</span>${link}` +
    `</summary>${c.explanations.map((e) => `<pre class="explain">${esc(e)}</pre>`).join("")}` +
    `<pre>${esc(checkerJson(c.result))}</pre></details>`
  );
}

function checkers(view: ReportView): string {
  const list = view.verdicts.checkers;
  const body = list.length === 0 ? `<p class="hint">No checker results.</p>` : list.map(checker).join("");
  return `<section class="card" id="checkers"><h2>Checkers</h2>${body}</section>`;
}

function faults(view: ReportView): string {
  if (view.faults.length === 0) return "";
  const rows = view.faults.slice(0, FAULT_ROWS_MAX).map((f) => {
    const start = f.startNs / 1e9;
    const end = f.endNs / 1e9;
    const cells = [f.kind, fmtS(start), f.open ? "not healed" : fmtS(end), fmtS(end - start)];
    return `<tr>${cells.map((c) => `<td>${esc(c)}</td>`).join("")}<td class="wrap">${esc(f.label)}</td></tr>`;
  });
  const more = view.faults.length > FAULT_ROWS_MAX ? `<p class="hint">+${view.faults.length - FAULT_ROWS_MAX} more</p>` : "";
  return (
    `<section class="card"><h2>Faults</h2><table><thead><tr><th>kind</th><th>start</th><th>end</th><th>length</th>` +
    `<th style="text-align:left">op</th></tr></thead><tbody>${rows.join("")}</tbody></table>${more}</section>`
  );
}

function notes(view: ReportView): string {
  if (view.notes.length === 0) return "";
  return `<section class="card notes"><h2>Notes</h2><ul>${view.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul></section>`;
}

export function renderHtml(view: ReportView, assets: ChartAssets): string {
  const data: PageData = { ...view.charts, faultColors: { ...FAULT_COLORS } };
  const spec = describeSetUp(view.spec);
  const timeline = view.hasTimeline ? ` · <a href="timeline.html">operation timeline</a>` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`tob · ${view.title} · ${verdictWord(view.verdicts.verdict)}`)}</title>
<style>${assets.css}</style><style>${PAGE_CSS}</style></head>
<body><main>
<header><h1>${esc(view.title)}</h1><p>${esc(spec || "test.json gives no set-up")}${timeline}</p></header>
${banner(view)}
${stats(view)}
${notes(view)}
${charts(view)}
${messagesSection(view)}
${percentileTable(view)}
${checkers(view)}
${faults(view)}
<footer>tob report · charts drawn with uPlot, inlined so the page works offline</footer>
</main>
<script type="application/json" id="tob-data">${JSON.stringify(data).replace(/</g, "\\u003c")}</script>
<script>${scriptSafe(assets.js)}</script>
<script>${CHARTS_SCRIPT}</script>
</body></html>
`;
}
