import type { CheckRecord } from "./record.js";

/** A check as the API answers it: the verdict first, then the record, and where to look next. */
export function checkView(record: CheckRecord) {
  const self = `/api/checks/${record.id}`;
  const { id, status, ...rest } = record;
  return {
    id,
    status,
    valid: record.result?.valid ?? null,
    ...rest,
    links: { self, ...(record.hasTimeline ? { timeline: `${self}/timeline` } : {}) },
  };
}
