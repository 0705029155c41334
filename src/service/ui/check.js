// The "check a history" page: drop or paste, pick a checker (and a model), POST /api/checks, show verdict and explanation.
import { el, fetchJson, verdictBadge } from "/ui/common.js";

const $ = (id) => document.getElementById(id);
const POLL_MS = 500;
/** A check's budget is bounded by the server, so polling is too; this only stops a lost page. */
const POLL_MAX = 7200;

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "muted";
}

async function loadModels() {
  const { status, body } = await fetchJson("/api/models");
  if (status !== 200) return setStatus(`Could not load the models: ${body.error}`, true);
  for (const c of body.checkers) $("checker").append(el("option", { value: c.name, textContent: c.name, title: c.description ?? "" }));
  for (const m of body.models) $("model").append(el("option", { value: m.name, textContent: m.name, title: m.summary ?? "" }));
  for (const f of body.formats) $("format").append(el("option", { value: f, textContent: f }));
}

function readFile(file) {
  file.text().then((text) => {
    $("history").value = text;
    setStatus(`${file.name}: ${text.length.toLocaleString("en-US")} characters`);
  });
}

function wireDrop() {
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    const file = e.dataTransfer?.files?.[0];
    if (file) readFile(file);
  });
  $("file").addEventListener("change", () => {
    const file = $("file").files?.[0];
    if (file) readFile(file);
  });
}

/** The model is the linearizable checker's, the consistency models Elle's: each is offered only where it counts. */
function syncOptions() {
  const checker = $("checker").value;
  $("model").disabled = checker !== "" && checker !== "linearizable";
  $("initial").disabled = $("model").disabled;
  $("consistency").disabled = !checker.startsWith("elle");
}

const witnessText = (w) => (typeof w?.explanation === "string" ? w.explanation : JSON.stringify(w));

function explain(result) {
  if (!result) return "";
  if (Array.isArray(result.failed) && result.properties) {
    // total order: each broken property with its first witness
    return result.failed
      .map((name) => `${name}: ${result.properties[name].count} violation(s); e.g. ${witnessText(result.properties[name].examples[0])}`)
      .join("\n");
  }
  if (Array.isArray(result["anomaly-types"]) && result.anomalies && !Array.isArray(result.anomalies)) {
    // Elle: each anomaly type with its first explanation
    return result["anomaly-types"].map((type) => `${type}: ${witnessText(result.anomalies[type]?.[0])}`).join("\n\n");
  }
  const anomalies = Array.isArray(result.anomalies) ? result.anomalies : [];
  if (anomalies.length > 0) return anomalies.map((a) => a.text).join("\n\n");
  if (result.valid === "unknown" && result.partitions) {
    const parts = Object.entries(result.partitions);
    const open = parts.filter(([, p]) => p.valid === "unknown");
    const reasons = [...new Set(open.map(([, p]) => p.reason).filter(Boolean))].join(", ");
    return `Undecided: ${open.length} of ${parts.length} partitions${reasons ? ` (${reasons})` : ""}; the rest are linearizable.`;
  }
  for (const key of ["explanation", "summary", "message", "error"]) {
    if (typeof result[key] === "string") return result[key];
  }
  return "";
}

function showCheck(check) {
  $("result").hidden = false;
  $("verdict").replaceChildren(verdictBadge(check.valid, true));
  const facts = [`checker ${check.checker ?? "?"}`];
  if (check.model) facts.push(`model ${check.model}`);
  if (check.ops !== undefined) facts.push(`${check.ops.toLocaleString("en-US")} ops`);
  if (check.durationMs !== undefined) facts.push(`${Math.round(check.durationMs)} ms`);
  $("facts").textContent = facts.join(" · ");
  $("links").replaceChildren(el("a", { href: check.links.self, textContent: "check JSON", target: "_blank" }));
  $("explanation").textContent = explain(check.result);
  $("json").textContent = JSON.stringify(check.result ?? check, null, 2);
  if (check.links.timeline) {
    $("links").append(el("a", { href: check.links.timeline, textContent: "timeline", target: "_blank" }));
    $("timeline").replaceChildren(el("iframe", { className: "timeline", src: check.links.timeline, title: "timeline" }));
  } else {
    $("timeline").replaceChildren();
  }
  document.body.dataset.verdict = String(check.valid);
}

async function poll(url) {
  for (let i = 0; i < POLL_MAX; i++) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    const { status, body } = await fetchJson(url);
    if (status !== 200) return setStatus(body.error, true);
    if (body.status === "done") return finish(body);
    if (body.status === "failed") return setStatus(body.error?.message ?? "the check failed", true);
    const p = body.progress;
    setStatus(`${body.status}${p ? `: ${p.phase}${p.ops ? `, ${p.ops.toLocaleString("en-US")} ops` : ""}` : ""}…`);
  }
  setStatus("gave up waiting; the check may still finish", true);
}

function finish(check) {
  setStatus("");
  showCheck(check);
}

async function run() {
  const text = $("history").value;
  if (text.trim() === "") return setStatus("Paste or drop a history first.", true);
  const params = new URLSearchParams({ timeout: $("timeout").value || "30" });
  if ($("checker").value) params.set("checker", $("checker").value);
  if (!$("model").disabled && $("model").value) params.set("model", $("model").value);
  if (!$("consistency").disabled && $("consistency").value.trim()) params.set("consistencyModels", $("consistency").value.trim());
  if ($("format").value) params.set("format", $("format").value);
  if (!$("initial").disabled && $("initial").value.trim()) params.set("initial", $("initial").value.trim());
  $("run").disabled = true;
  $("result").hidden = true;
  $("timeline").replaceChildren();
  delete document.body.dataset.verdict;
  setStatus("checking…");
  try {
    const { status, headers, body } = await fetchJson(`/api/checks?${params}`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: text,
    });
    if (status === 200) finish(body);
    else if (status === 202) await poll(headers.get("location") ?? body.links.self);
    else if (status === 429) setStatus(`The service is busy; retry in ${headers.get("retry-after") ?? "a few"} s.`, true);
    else setStatus(body.line !== undefined ? `line ${body.line}: ${body.error}` : body.error, true);
  } catch (err) {
    setStatus(`The request failed: ${err.message}`, true);
  } finally {
    $("run").disabled = false;
  }
}

wireDrop();
$("run").addEventListener("click", run);
$("checker").addEventListener("change", syncOptions);
loadModels().then(() => {
  document.body.dataset.ready = "true";
});
