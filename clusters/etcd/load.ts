import { type LoadOp, READ_KEYS, type RequestTemplate } from "../kind.js";

const base64 = (text: string) => Buffer.from(text).toString("base64");

/** Benchmark requests in etcd's JSON gateway, doing the same work as ours: a put of a distinct key, a (linearizable) range read; no broadcast. */
export function etcdLoad(op: LoadOp, payloadBytes: number, runId: string): RequestTemplate | null {
  const value = base64("x".repeat(payloadBytes));
  switch (op) {
    case "put":
      return { method: "POST", path: () => "/v3/kv/put", body: (n) => JSON.stringify({ key: base64(`b-${runId}-${n}`), value }) };
    case "broadcast":
      return null;
    case "read":
      return { method: "POST", path: () => "/v3/kv/range", body: (n) => JSON.stringify({ key: base64(`r-${runId}-${n % READ_KEYS}`) }) };
  }
}
