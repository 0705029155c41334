/** Number formats shared by summary.md and report.html, so both say the same thing. */

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** Three significant digits, without exponent notation for the usual range. */
function sig3(v: number): string {
  if (v === 0) return "0";
  if (Math.abs(v) >= 1000) return fmtInt(v);
  return String(Number(v.toPrecision(3)));
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  if (ms === 0) return "0 ms";
  if (ms >= 1000) return `${sig3(ms / 1000)} s`;
  if (ms < 1) return `${sig3(ms * 1000)} µs`;
  return `${sig3(ms)} ms`;
}

export function fmtRate(perS: number | undefined): string {
  return perS === undefined || !Number.isFinite(perS) ? "–" : `${sig3(perS)}/s`;
}

export function fmtS(s: number): string {
  return `${sig3(s)} s`;
}
