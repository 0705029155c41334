import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RaftCluster } from "../adapter.js";

// Spawns dist/: run `npx tsc -p .` first.

let dir: string;
let cluster: RaftCluster;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tob-http-"));
  cluster = new RaftCluster({ dir, nodes: 1 });
  await cluster.start();
  base = cluster.nodes()[0]!.httpUrl;
});

afterAll(async () => {
  const pids = cluster.nodes().map((n) => n.pid);
  await cluster.stop();
  for (const pid of pids) if (pid) expect(() => process.kill(pid, 0)).toThrow();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(base + path, { method, body, headers: body === undefined ? {} : { "content-type": "application/json" } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("node HTTP API on bad input", () => {
  it("answers well-formed requests", async () => {
    expect(await call("PUT", "/v1/kv/a%2Fb", `{"value":"x"}`)).toMatchObject({ status: 200 });
    expect(await call("GET", "/v1/kv/a%2Fb")).toEqual({ status: 200, body: { value: "x" } });
    expect(await call("GET", "/v1/kv/missing?consistency=log")).toEqual({ status: 200, body: { value: null } });
    expect(await call("POST", "/v1/kv/c/cas", `{"from":null,"to":"1"}`)).toEqual({ status: 200, body: { ok: true } });
    expect(await call("POST", "/v1/kv/c/cas", `{"from":null,"to":"2"}`)).toEqual({ status: 409, body: { ok: false, value: "1" } });
    const acquired = await call("POST", "/v1/locks/L/acquire", `{"owner":"o1"}`);
    expect(acquired.status).toBe(200);
    expect(await call("POST", "/v1/locks/L/acquire", `{"owner":"o2"}`)).toEqual({ status: 409, body: { holder: "o1" } });
    expect(await call("POST", "/v1/locks/L/release", JSON.stringify({ owner: "o1", token: acquired.body.token }))).toEqual({
      status: 200,
      body: { ok: true },
    });
  });

  it("refuses malformed JSON and wrong fields with 400 and a clear message", async () => {
    const bad = await call("PUT", "/v1/kv/k", `{"value":`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/malformed JSON body/);
    expect((await call("PUT", "/v1/kv/k", `{"value":"v","extra":1}`)).body.error).toMatch(/unknown field "extra"/);
    expect((await call("PUT", "/v1/kv/k", `{}`)).body.error).toMatch(/missing field "value"/);
    expect((await call("PUT", "/v1/kv/k", `{"value":3}`)).body.error).toMatch(/field "value" must be a string/);
    expect((await call("POST", "/v1/txn", `{"ops":[["w","k",1]]}`)).body.error).toMatch(/ops\[0\] f must be/);
    expect((await call("GET", "/v1/kv/k?consistency=eventual")).status).toBe(400);
    expect((await call("GET", "/v1/deliveries?from=0")).body.error).toMatch(/from must be a positive integer/);
  });

  it("answers 404 for unknown routes", async () => {
    const r = await call("GET", "/v2/nothing");
    expect(r.status).toBe(404);
    expect(r.body.error).toBe("no route for GET /v2/nothing");
    expect((await call("DELETE", "/v1/kv/k")).status).toBe(404);
    expect((await call("GET", "/v1/kv/")).status).toBe(404);
  });

  it("answers 413 over the 1 MiB body limit, naming it", async () => {
    const big = JSON.stringify({ value: "x".repeat(1024 * 1024) });
    const r = await call("PUT", "/v1/kv/big", big);
    expect(r.status).toBe(413);
    expect(r.body.error).toMatch(/exceeds the limit of 1048576 bytes \(1 MiB\)/);
    // The node keeps serving.
    expect((await call("GET", "/v1/status")).status).toBe(200);
  });
});

describe("client sessions", () => {
  async function tagged(path: string, body: string, client: string, seq: number) {
    const res = await fetch(base + path, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", "x-tob-client": client, "x-tob-seq": String(seq) },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it("applies a write resent with the same sequence number once, answering the first result", async () => {
    const reg = await call("POST", "/v1/sessions", "{}");
    expect(reg.status).toBe(200);
    const client = reg.body.client as string;
    const first = await tagged("/v1/broadcast", `{"message":"once"}`, client, 1);
    const again = await tagged("/v1/broadcast", `{"message":"once"}`, client, 1);
    expect(first.status).toBe(200);
    expect(again).toEqual(first);
    const all = await call("GET", "/v1/deliveries?from=1&limit=10000");
    const copies = (all.body.deliveries as { message: string }[]).filter((d) => d.message === "once");
    expect(copies).toHaveLength(1);
    // The next number applies; an older one can no longer be told apart and is refused.
    expect((await tagged("/v1/broadcast", `{"message":"twice"}`, client, 2)).status).toBe(200);
    const stale = await tagged("/v1/broadcast", `{"message":"once"}`, client, 1);
    expect(stale.status).toBe(410);
    expect(stale.body.detail).toMatch(/sequence 1 is behind the session's 2/);
  });

  it("refuses an unknown session (410) and malformed session headers (400)", async () => {
    const unknown = await tagged("/v1/broadcast", `{"message":"m"}`, "999999", 1);
    expect(unknown.status).toBe(410);
    expect(unknown.body.detail).toMatch(/unknown or expired/);
    const bad = await tagged("/v1/broadcast", `{"message":"m"}`, "1", 0);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/x-tob-seq must be a positive integer/);
  });
});
