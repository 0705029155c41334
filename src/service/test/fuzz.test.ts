import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fuzzRequest } from "./fuzz-bodies.js";
import { startService, type TestService } from "./harness.js";

/** At least 10k by default; TOB_FUZZ_N raises it for a longer soak. */
const N = Number(process.env.TOB_FUZZ_N ?? 10_000);
const SEED = Number(process.env.TOB_FUZZ_SEED ?? 7);
const WORKERS = 2;
const QUEUE_MAX = 4;
/** One more request in flight than workers and queue hold, so 429s are part of the mix. */
const IN_FLIGHT = WORKERS + QUEUE_MAX + 1;
/** After a 429 a lane waits (as a client honouring Retry-After would, briefly) instead of spinning. */
const BACKOFF_MS = 5;
const STORED_MAX = 200;

describe("fuzz POST /api/checks", () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startService({
      workers: WORKERS,
      queueMax: QUEUE_MAX,
      checksStoredMax: STORED_MAX,
      checkTimeoutDefaultS: 1,
      checkTimeoutMaxS: 2,
      bodyLimitBytes: 64 * 1024,
    });
  });
  afterAll(async () => service?.close());

  it(`answers ${N} random and mutated bodies without a 5xx, with bounded memory`, { timeout: 600_000 }, async () => {
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const rssStartMb = process.memoryUsage().rss / 2 ** 20;
    let rssPeakMb = rssStartMb;
    let heapPeakMb = 0;
    let next = 0;
    const t0 = performance.now();
    const lane = async () => {
      for (let i = next++; i < N; i = next++) {
        const req = fuzzRequest(SEED, i);
        const res = await service.app.inject({
          method: "POST",
          url: req.url,
          payload: req.payload,
          headers: req.contentType ? { "content-type": req.contentType } : {},
        });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode === 429) await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS));
        if (res.statusCode >= 500 && failures.length < 10)
          failures.push(`seed ${SEED} request ${i} ${req.url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        if (i % 250 === 0) {
          const m = process.memoryUsage();
          rssPeakMb = Math.max(rssPeakMb, m.rss / 2 ** 20);
          heapPeakMb = Math.max(heapPeakMb, m.heapUsed / 2 ** 20);
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    const seconds = (performance.now() - t0) / 1000;
    const health = await service.app.inject({ method: "GET", url: "/healthz" });
    const rssEndMb = process.memoryUsage().rss / 2 ** 20;
    const figures = {
      requests: N,
      seconds: Number(seconds.toFixed(1)),
      perSecond: Math.round(N / seconds),
      statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
      rssStartMb: Math.round(rssStartMb),
      rssPeakMb: Math.round(rssPeakMb),
      rssEndMb: Math.round(rssEndMb),
      heapPeakMb: Math.round(heapPeakMb),
    };
    console.log(`fuzz figures: ${JSON.stringify(figures)}`);
    expect(failures).toEqual([]);
    expect(health.statusCode).toBe(200);
    expect(health.json().queueDepth).toBe(0);
    // Every 2xx check is stored, but never more than the maximum.
    const metrics = (await service.app.inject({ method: "GET", url: "/metrics" })).body;
    expect(Number(/tob_checks_stored (\d+)/.exec(metrics)?.[1])).toBeLessThanOrEqual(STORED_MAX);
    // Bounded: the service's own state is capped, so 10k requests must not grow the process by more than a little
    // (structured-fuzz.test.ts asserts the tighter heap plateau).
    expect(rssEndMb - rssStartMb).toBeLessThan(300);
  });
});
