// Helpers shared by the pages: fetching JSON with readable errors, verdict badges, escaping.

export async function fetchJson(url, init) {
  const res = await fetch(url, init);
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = { error: text || res.statusText };
  }
  return { status: res.status, headers: res.headers, body };
}

export function verdictName(valid) {
  if (valid === true) return "valid";
  if (valid === false) return "invalid";
  if (valid === "unknown") return "unknown";
  return "none";
}

const LABELS = { valid: "valid", invalid: "INVALID", unknown: "unknown", none: "no verdict" };

export function verdictBadge(valid, big = false) {
  const span = document.createElement("span");
  const name = verdictName(valid);
  span.className = `verdict ${name}${big ? " big" : ""}`;
  span.textContent = LABELS[name];
  span.dataset.verdict = name;
  return span;
}

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) node.append(child);
  return node;
}

export function fmtNumber(n, digits = 1) {
  return typeof n === "number" ? n.toLocaleString("en-US", { maximumFractionDigits: digits }) : "–";
}
