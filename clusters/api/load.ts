import { type LoadOp, READ_KEYS, type RequestTemplate } from "../kind.js";

/** Benchmark requests in tob's HTTP client API: a put of a distinct key, a broadcast, a linearizable read. */
export function apiLoad(op: LoadOp, payloadBytes: number, runId: string): RequestTemplate {
  const value = "x".repeat(payloadBytes);
  switch (op) {
    case "put":
      return { method: "PUT", path: (n) => `/v1/kv/b-${runId}-${n}`, body: () => JSON.stringify({ value }) };
    case "broadcast":
      return { method: "POST", path: () => "/v1/broadcast", body: (n) => JSON.stringify({ message: `${runId}-${n}-${value}` }) };
    case "read":
      return { method: "GET", path: (n) => `/v1/kv/r-${runId}-${n % READ_KEYS}?consistency=linearizable` };
  }
}
