import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, type TestService } from "./harness.js";
import { type StructuredCase, structuredCase } from "./structured-mutations.js";

const SEED = Number(process.env.TOB_SEED ?? 14);
const BATCHES = 40;
const BATCH_SIZE = 256;
const WORKERS = 2;
/** Lanes in flight: enough to keep both workers busy, under the queue bound so no 429 is expected. */
const IN_FLIGHT = 6;
const QUEUE_MAX = 16;
/** Small, so the check store is full within the first quarter and its size cannot look like growth later. */
const STORED_MAX = 50;
/**
 * Allowed growth of the median heap (after a forced GC) from the second quarter
 * of batches to the last. Between those medians 20 batches (5,120 inputs) are
 * sent, so any leak over ~400 B per input (a kept body, record, result or
 * listener) breaks it; keeping just the bodies grew it by 7.7 MiB. In a steady
 * state the heap after a full GC moved by 0.1 MiB over the same span.
 */
const HEAP_GROWTH_MAX_MB = 2;

/** A full GC on demand, even when node was not started with --expose-gc: heap samples then measure live data, not garbage. */
function forcedGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** Why the answer is not the one known by construction, or undefined when it is. */
function mismatch(c: StructuredCase, status: number, body: Record<string, unknown>): string | undefined {
  const e = c.expected;
  if (status !== e.status) return `status ${status}, expected ${e.status}`;
  if (e.status === 200) {
    if (body.valid !== e.valid || body.checker !== e.checker)
      return `verdict ${String(body.valid)} by ${String(body.checker)}, expected ${e.valid} by ${e.checker}`;
    return undefined;
  }
  const error = String(body.error);
  if (!error.toLowerCase().includes(e.field)) return `error does not name "${e.field}"`;
  if (e.line !== undefined && (body.line !== e.line || !error.includes(`line ${e.line}`)))
    return `error names line ${String(body.line)}, expected ${e.line}`;
  return undefined;
}

describe("structured fuzz of POST /api/checks", () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startService({ workers: WORKERS, queueMax: QUEUE_MAX, checksStoredMax: STORED_MAX });
  });
  afterAll(async () => service?.close());

  it(`gives each of ${BATCHES * BATCH_SIZE} mutated histories its known answer, in a memory plateau`, { timeout: 300_000 }, async () => {
    const gc = forcedGc();
    const failures: string[] = [];
    const outcomes = new Map<string, number>();
    const heapMb: number[] = [];
    const rssMb: number[] = [];
    const t0 = performance.now();
    for (let batch = 0; batch < BATCHES; batch++) {
      let next = batch * BATCH_SIZE;
      const end = next + BATCH_SIZE;
      const lane = async () => {
        for (let i = next++; i < end; i = next++) {
          const c = structuredCase(SEED, i);
          const res = await service.app.inject({
            method: "POST",
            url: c.url,
            payload: c.body,
            headers: { "content-type": "application/x-ndjson" },
          });
          const body = res.json() as Record<string, unknown>;
          const why = mismatch(c, res.statusCode, body);
          const key = c.expected.status === 200 ? `200 valid=${c.expected.valid}` : `400 ${c.expected.field}`;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
          if (why !== undefined && failures.length < 10)
            failures.push(`TOB_SEED=${SEED} input ${i} (${c.label}): ${why}; got ${res.body.slice(0, 300)}`);
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
      gc();
      const m = process.memoryUsage();
      heapMb.push(mb(m.heapUsed));
      rssMb.push(mb(m.rss));
    }
    const seconds = (performance.now() - t0) / 1000;
    const quarter = BATCHES / 4;
    const heapQ2MedianMb = median(heapMb.slice(quarter, 2 * quarter));
    const heapQ4MedianMb = median(heapMb.slice(3 * quarter));
    const figures = {
      seed: SEED,
      inputs: BATCHES * BATCH_SIZE,
      seconds: Number(seconds.toFixed(1)),
      outcomes: Object.fromEntries([...outcomes].sort()),
      heapQ2MedianMb,
      heapQ4MedianMb,
      rssQ2MedianMb: median(rssMb.slice(quarter, 2 * quarter)),
      rssQ4MedianMb: median(rssMb.slice(3 * quarter)),
      heapTrailMb: heapMb,
    };
    console.log(`structured fuzz figures: ${JSON.stringify(figures)}`);
    expect(failures, `seed ${SEED}`).toEqual([]);
    expect(heapQ4MedianMb - heapQ2MedianMb, `heap trail ${JSON.stringify(heapMb)}`).toBeLessThan(HEAP_GROWTH_MAX_MB);
  });
});
