import type { CheckRecord } from "./record.js";

/** A check as the API answers it: the record, its verdict on top, and where to look next. */
export function checkView(record: CheckRecord) {
  const self = `/api/checks/${record.id}`;
  return {
    ...record,
    valid: record.result?.valid ?? null,
    links: { self, ...(record.hasTimeline ? { timeline: `${self}/timeline` } : {}) },
  };
}
