// One run: its verdict and facts on top, its report.html embedded below (or results.json without one).
import { el, fetchJson, fmtNumber, verdictBadge } from "/ui/common.js";

const $ = (id) => document.getElementById(id);

async function main() {
  const id = new URLSearchParams(location.search).get("id") ?? "";
  const [test, ts] = id.split("/");
  document.title = `tob · ${id}`;
  $("title").textContent = id || "Run";
  const list = await fetchJson("/api/runs");
  const run = list.status === 200 ? list.body.runs.find((r) => r.id === id) : undefined;
  if (!run || !test || !ts) {
    $("body").replaceChildren(el("p", { className: "error", textContent: `No run ${JSON.stringify(id)} in the results folder.` }));
    return;
  }
  const base = `/api/runs/${encodeURIComponent(test)}/${encodeURIComponent(ts)}`;
  $("verdict").replaceChildren(verdictBadge(run.valid, true));
  const links = [el("a", { href: base, textContent: "results.json" })];
  if (run.hasReport) links.push(el("a", { href: `${base}/report.html`, textContent: "report.html", target: "_blank" }));
  if (run.hasTimeline) links.push(el("a", { href: `${base}/timeline.html`, textContent: "timeline.html", target: "_blank" }));
  $("links").replaceChildren(...links);
  $("facts").textContent = [
    `workload ${run.workload ?? "–"}`,
    `cluster ${run.cluster ?? "–"}`,
    `nemesis ${run.nemesis.join(", ") || "none"}`,
    `throughput ${fmtNumber(run.throughputPerS)} ops/s`,
    `p99 ${fmtNumber(run.latencyMsP99, 2)} ms`,
  ].join(" · ");
  if (run.hasReport) {
    $("body").replaceChildren(el("iframe", { className: "report", src: `${base}/report.html`, title: "report" }));
  } else {
    const results = await fetchJson(base);
    $("body").replaceChildren(
      el("p", { className: "muted", textContent: "This run has no report.html; its results.json:" }),
      el("pre", { textContent: JSON.stringify(results.body, null, 2) }),
    );
  }
  document.body.dataset.ready = "true";
}

main();
