/**
 * Register values travel to the cluster as strings and are recorded as the
 * numbers the generator chose, so histories read like Jepsen's.
 */
export function toWire(v: number | null): string | null {
  return v === null ? null : String(v);
}

export function fromWire(s: string | null | undefined): number | string | null {
  if (s === null || s === undefined) return null;
  const n = Number(s);
  return s !== "" && Number.isFinite(n) ? n : s;
}
