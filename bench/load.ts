import autocannon from "autocannon";
import type { RequestTemplate } from "../clusters/kind.js";

export interface LoadOptions {
  url: string; // base URL, e.g. http://127.0.0.1:7001
  template: RequestTemplate;
  connections: number;
  durationSec: number;
  /** Requests in flight per connection (HTTP pipelining); 1 = a closed loop per connection. */
  pipelining?: number;
  /** Open loop: a fixed offered rate across all connections, latencies corrected for coordinated omission. */
  overallRatePerSec?: number;
  timeoutSec?: number;
}

export interface LoadFigures {
  connections: number;
  durationSec: number;
  /** Only 2xx answers count as throughput; everything else is an error. */
  okPerSec: number;
  okCount: number;
  non2xxCount: number;
  errorCount: number; // connection errors and timeouts
  errorRate: number; // (non2xx + errors) / all answered or failed
  latencyMsP50: number;
  latencyMsP90: number;
  latencyMsP99: number;
  latencyMsMax: number;
  /** Latency CDF points (percentile, ms) for plots. */
  latencyCdf: [number, number][];
}

/** Runs one bounded load (it stops by itself after durationSec) and reports what the server answered. */
export async function runLoad(opts: LoadOptions): Promise<LoadFigures> {
  const url = new URL(opts.url);
  let counter = 0;
  const { template } = opts;
  const result = await autocannon({
    url: url.origin,
    connections: opts.connections,
    duration: opts.durationSec,
    pipelining: opts.pipelining ?? 1,
    timeout: opts.timeoutSec ?? 10,
    ...(opts.overallRatePerSec ? { overallRate: opts.overallRatePerSec } : {}),
    requests: [
      {
        method: template.method,
        headers: { "content-type": "application/json" },
        setupRequest: (req: Record<string, unknown>) => {
          const n = counter++;
          req.path = template.path(n);
          if (template.body) req.body = template.body(n);
          return req;
        },
      },
    ],
  } as unknown as autocannon.Options);
  const ok = result["2xx"];
  const non2xx = result.non2xx;
  const errors = result.errors;
  const elapsedSec = result.duration > 0 ? result.duration : opts.durationSec;
  const total = ok + non2xx + errors;
  const lat = result.latency as unknown as Record<string, number>;
  const cdf: [number, number][] = [];
  for (const p of ["p1", "p2_5", "p10", "p25", "p50", "p75", "p90", "p97_5", "p99", "p99_9", "p99_99"]) {
    if (typeof lat[p] === "number") cdf.push([Number(p.slice(1).replace("_", ".")), lat[p]!]);
  }
  cdf.push([100, result.latency.max]);
  return {
    connections: opts.connections,
    durationSec: elapsedSec,
    okPerSec: ok / elapsedSec,
    okCount: ok,
    non2xxCount: non2xx,
    errorCount: errors,
    errorRate: total === 0 ? 0 : (non2xx + errors) / total,
    latencyMsP50: result.latency.p50,
    latencyMsP90: result.latency.p90,
    latencyMsP99: result.latency.p99,
    latencyMsMax: result.latency.max,
    latencyCdf: cdf,
  };
}
