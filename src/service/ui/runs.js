// The runs table: loads /api/runs once, then filters and sorts in the page.
import { el, fetchJson, fmtNumber, verdictBadge, verdictName } from "/ui/common.js";

const state = { runs: [], sortKey: "timestamp", sortDir: -1 };
const $ = (id) => document.getElementById(id);
const filters = ["q", "workload", "cluster", "verdict"];

// Worst first when sorting by verdict: invalid, unknown, none, valid.
const VERDICT_RANK = { invalid: 0, unknown: 1, none: 2, valid: 3 };

function sortValue(run, key) {
  if (key === "valid") return VERDICT_RANK[verdictName(run.valid)];
  if (key === "nemesis") return run.nemesis.join(",");
  return run[key];
}

function compare(a, b) {
  const x = sortValue(a, state.sortKey);
  const y = sortValue(b, state.sortKey);
  // Missing figures sort last whatever the direction.
  if (x == null || x === "") return y == null || y === "" ? 0 : 1;
  if (y == null || y === "") return -1;
  return (x < y ? -1 : x > y ? 1 : 0) * state.sortDir;
}

function visible(run) {
  const q = $("q").value.trim().toLowerCase();
  if ($("workload").value && run.workload !== $("workload").value) return false;
  if ($("cluster").value && run.cluster !== $("cluster").value) return false;
  if ($("verdict").value && verdictName(run.valid) !== $("verdict").value) return false;
  if (q && ![run.id, run.workload, run.cluster, ...run.nemesis].join(" ").toLowerCase().includes(q)) return false;
  return true;
}

function render() {
  const rows = state.runs.filter(visible).sort(compare);
  const tbody = $("runs").querySelector("tbody");
  tbody.replaceChildren(
    ...rows.map((run) => {
      const tr = el("tr");
      tr.dataset.id = run.id;
      tr.append(
        el("td", {}, verdictBadge(run.valid)),
        el("td", {}, el("a", { href: `/ui/run.html?id=${encodeURIComponent(run.id)}`, textContent: run.test })),
        el("td", { textContent: run.timestamp }),
        el("td", { textContent: run.workload ?? "–" }),
        el("td", { textContent: run.cluster ?? "–" }),
        el("td", { textContent: run.nemesis.join(", ") || "none" }),
        el("td", { className: "num", textContent: fmtNumber(run.throughputPerS) }),
        el("td", { className: "num", textContent: fmtNumber(run.latencyMsP99, 2) }),
      );
      tr.addEventListener("click", (e) => {
        if (e.target.tagName !== "A") location.href = `/ui/run.html?id=${encodeURIComponent(run.id)}`;
      });
      return tr;
    }),
  );
  for (const th of $("runs").querySelectorAll("th")) {
    th.setAttribute("aria-sort", th.dataset.key === state.sortKey ? (state.sortDir > 0 ? "ascending" : "descending") : "none");
  }
  $("count").textContent = `${rows.length} of ${state.runs.length} runs`;
  const empty = $("empty");
  empty.hidden = rows.length > 0;
  empty.textContent = state.runs.length === 0 ? "No runs yet: `tob run` writes them to the results folder." : "No run matches the filters.";
  // Keep the filters in the address, so a filtered view can be shared.
  const params = new URLSearchParams();
  for (const id of filters) if ($(id).value) params.set(id, $(id).value);
  history.replaceState(null, "", params.size ? `?${params}` : location.pathname);
}

function fillOptions(id, values) {
  const select = $(id);
  for (const v of [...new Set(values.filter(Boolean))].sort()) select.append(el("option", { value: v, textContent: v }));
}

async function main() {
  const { status, body } = await fetchJson("/api/runs");
  if (status !== 200) {
    $("empty").hidden = false;
    $("empty").textContent = `Could not list runs: ${body.error}`;
    return;
  }
  state.runs = body.runs;
  fillOptions(
    "workload",
    state.runs.map((r) => r.workload),
  );
  fillOptions(
    "cluster",
    state.runs.map((r) => r.cluster),
  );
  const params = new URLSearchParams(location.search);
  for (const id of filters) if (params.has(id)) $(id).value = params.get(id);
  for (const id of filters) $(id).addEventListener("input", render);
  for (const th of $("runs").querySelectorAll("th")) {
    th.addEventListener("click", () => {
      state.sortDir = state.sortKey === th.dataset.key ? -state.sortDir : 1;
      state.sortKey = th.dataset.key;
      render();
    });
  }
  render();
  document.body.dataset.ready = "true";
}

main();
