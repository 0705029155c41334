import type { CheckResult } from "../checker.js";
import { escapeHtml } from "../../src/escape.js";

/** A self-contained, offline page: the verdict, the summary lines, and the whole result as JSON. */
export function resultPage(title: string, checker: string, result: CheckResult, summary: string[]): string {
  const verdict = result.valid === true ? "valid" : result.valid === false ? "invalid" : "unknown";
  const colour = { valid: "#1a7f37", invalid: "#cf222e", unknown: "#9a6700" }[verdict];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2em;max-width:70em}.verdict{display:inline-block;padding:.2em .7em;border-radius:4px;color:#fff;background:${colour}}
pre{background:#f6f8fa;padding:1em;overflow:auto;white-space:pre-wrap}</style></head>
<body data-verdict="${verdict}"><h1>${escapeHtml(title)}</h1>
<p><span class="verdict" id="verdict">${verdict}</span> checker <b>${escapeHtml(checker)}</b></p>
<pre id="summary">${escapeHtml(summary.join("\n"))}</pre>
<details><summary>Result JSON</summary><pre>${escapeHtml(JSON.stringify(result, null, 2))}</pre></details>
</body></html>
`;
}
