import type { RequestTemplate } from "./load.js";

/**
 * The HTTP requests each system answers for the same logical operation, so
 * that ours and etcd do the same work: a write of a distinct key with a value
 * of `payloadBytes`, a broadcast (ours only), and a linearizable read.
 */
export type BenchOp = "put" | "broadcast" | "read";

export const BENCH_OPS: readonly BenchOp[] = ["put", "broadcast", "read"];

function payload(bytes: number): string {
  return "x".repeat(bytes);
}

function base64(text: string): string {
  return Buffer.from(text).toString("base64");
}

/** Keys the read benchmark reads: written once before it starts. */
export const READ_KEYS = 64;

export function raftTemplate(op: BenchOp, payloadBytes: number, runId: string): RequestTemplate {
  const value = payload(payloadBytes);
  switch (op) {
    case "put":
      return { method: "PUT", path: (n) => `/v1/kv/b-${runId}-${n}`, body: () => JSON.stringify({ value }) };
    case "broadcast":
      return { method: "POST", path: () => "/v1/broadcast", body: (n) => JSON.stringify({ message: `${runId}-${n}-${value}` }) };
    case "read":
      return { method: "GET", path: (n) => `/v1/kv/r-${runId}-${n % READ_KEYS}?consistency=linearizable` };
  }
}

export function etcdTemplate(op: BenchOp, payloadBytes: number, runId: string): RequestTemplate {
  const value = base64(payload(payloadBytes));
  switch (op) {
    case "put":
      return { method: "POST", path: () => "/v3/kv/put", body: (n) => JSON.stringify({ key: base64(`b-${runId}-${n}`), value }) };
    case "broadcast":
      throw new Error("etcd has no broadcast; bench it with put");
    case "read":
      return { method: "POST", path: () => "/v3/kv/range", body: (n) => JSON.stringify({ key: base64(`r-${runId}-${n % READ_KEYS}`) }) };
  }
}
