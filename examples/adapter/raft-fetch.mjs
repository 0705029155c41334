// A cluster module for `tob run --cluster ./raft-fetch.mjs`: the shape a
// module for a system with its own protocol takes. Here the system is tob's own
// Raft node program (shipped in the tob package) and the client mapping is
// written by hand with fetch(), as one would wrap a gRPC stub or a client
// library. tob starts the nodes, routes their peer traffic through its proxy
// mesh (the addresses in node.peers), injects the faults and checks the history.
import { defineCluster } from "tob";

const NODE_PROGRAM = new URL("../clusters/raft/from-flags.js", import.meta.resolve("tob")).pathname;

/** One HTTP call; the outcome in Jepsen's terms: ok, fail (certainly not done) or info (unknown). */
async function call(base, method, path, body, timeoutMs, onOk) {
  let res;
  try {
    res = await fetch(base + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    // Nothing was sent when the connection was refused; anything else may have arrived.
    const refused = err?.cause?.code === "ECONNREFUSED";
    return { type: refused ? "fail" : "info", error: String(err?.cause?.code ?? err?.name ?? err) };
  }
  const answer = await res.json().catch(() => null);
  if (res.status === 200 || res.status === 409) return { type: "ok", value: onOk(answer, res.status) };
  if (res.status === 503 || (res.status >= 400 && res.status < 500)) return { type: "fail", error: answer?.error ?? `http ${res.status}` };
  return { type: "info", error: answer?.error ?? `http ${res.status}` };
}

export default defineCluster({
  name: "raft-fetch",
  about: "tob's Raft node behind a hand-written fetch() client",
  features: ["get", "put", "cas", "status"],
  readModes: ["linearizable", "local"],
  version: () => "example-1",
  node: (n) => [
    process.execPath,
    NODE_PROGRAM,
    "--id",
    n.id,
    "--host",
    n.host,
    "--http",
    String(n.httpPort),
    "--peer",
    String(n.peerPort),
    "--peers",
    n.peers.map((p) => `${p.id}=${p.addr}`).join(","),
    "--http-peers",
    n.peers.map((p) => `${p.id}=${p.httpUrl}`).join(","),
    "--data",
    n.dataDir,
  ],
  client: (n, { reads, timeoutMs }) => {
    const key = (k) => `/v1/kv/${encodeURIComponent(k)}`;
    return {
      get: (k) => call(n.httpUrl, "GET", `${key(k)}?consistency=${reads}`, undefined, timeoutMs, (b) => b.value),
      put: (k, value) => call(n.httpUrl, "PUT", key(k), { value }, timeoutMs, (b) => ({ index: b.index })),
      cas: (k, from, to) =>
        call(n.httpUrl, "POST", `${key(k)}/cas`, { from, to }, timeoutMs, (b, status) =>
          status === 409 ? { ok: false, value: b.value } : { ok: true },
        ),
      status: () => call(n.httpUrl, "GET", "/v1/status", undefined, timeoutMs, (b) => b),
    };
  },
});
