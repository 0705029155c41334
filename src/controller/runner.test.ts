import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ClusterClient, Outcome } from "../../clusters/cluster.js";
import type { Completion } from "../../workloads/workload.js";
import { RunClock } from "./clock.js";
import { list, type OpRequest, source } from "./generator.js";
import { limit, phases } from "./generator-combinators.js";
import { Recorder } from "./recorder.js";
import { runClients } from "./runner.js";
import { tempDir } from "../../test/support/temp.js";

/** An in-memory register store standing in for a cluster node. */
function fakeClient(node: string, store: Map<string, string>): ClusterClient {
  const ok = <T>(value: T): Promise<Outcome<T>> => Promise.resolve({ type: "ok", value });
  return {
    node,
    get: (key) => ok(store.get(key) ?? null),
    put: (key, value) => (store.set(key, value), ok({})),
    cas: (key, from, to) =>
      (store.get(key) ?? null) === from ? (store.set(key, to), ok({ ok: true })) : ok({ ok: false, value: store.get(key) }),
    close: async () => {},
  };
}

function setup() {
  const dir = tempDir("runner");
  const clock = new RunClock();
  const recorder = new Recorder(join(dir, "history.jsonl"), clock);
  const store = new Map<string, string>();
  return { dir, clock, recorder, clientFor: (node: string) => fakeClient(node, store) };
}

const writes = (seed: number) => source<number>(0, seed, (n, rng) => [{ f: "write", key: "x", value: n }, n + 1, rng]);

describe("runClients", () => {
  it("records every invoke and completion in order, streamed to history.jsonl, and runs the final phase after", async () => {
    const { dir, clock, recorder, clientFor } = setup();
    const invoke = async (c: ClusterClient, op: OpRequest): Promise<Completion> => {
      if (op.f === "read") return { type: "ok", value: (await c.get("x")).type === "ok" ? "read" : null };
      await c.put("x", String(op.value));
      return { type: "ok", value: op.value };
    };
    const gen = phases(limit(30, writes(1)), list([{ f: "read", value: null, node: "n3" }]));
    await runClients(gen, { threads: 3, nodes: ["n1", "n2", "n3"], clock, recorder, clientFor, invoke, opTimeoutMs: 1000 });
    recorder.close();
    const ops = recorder.history();
    expect(ops).toHaveLength(62);
    expect(ops.map((o) => o.index)).toEqual(ops.map((_, i) => i));
    expect(ops.at(-1)).toMatchObject({ f: "read", type: "ok", node: "n3" });
    const lines = readFileSync(join(dir, "history.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual(JSON.parse(JSON.stringify(ops)));
    for (let i = 1; i < ops.length; i++) expect(ops[i]!.time).toBeGreaterThanOrEqual(ops[i - 1]!.time);
    // Processes keep their thread's node.
    for (const o of ops.filter((o) => o.f === "write")) expect(o.node).toBe(`n${((o.process as number) % 3) + 1}`);
  });

  it("an op that hangs past the timeout, or throws, ends as info, and its thread gets a fresh process", async () => {
    const { clock, recorder, clientFor } = setup();
    let calls = 0;
    const invoke = (): Promise<Completion> => {
      calls++;
      if (calls === 2) return new Promise(() => {}); // never answers
      if (calls === 4) return Promise.reject(new Error("socket hang up"));
      return Promise.resolve({ type: "ok", value: null });
    };
    await runClients(limit(8, writes(2)), { threads: 1, nodes: ["n1"], clock, recorder, clientFor, invoke, opTimeoutMs: 100 });
    const completions = recorder.history().filter((o) => o.type !== "invoke");
    expect(completions.map((o) => [o.process, o.type])).toEqual([
      [0, "ok"],
      [0, "info"],
      [1, "ok"],
      [1, "info"],
      [2, "ok"],
      [2, "ok"],
      [2, "ok"],
      [2, "ok"],
    ]);
    expect(completions[1]?.error).toBe("controller-timeout");
    expect(completions[3]?.error).toContain("socket hang up");
  });

  it("an abort ends the generator early; ops in flight still complete", async () => {
    const { clock, recorder, clientFor } = setup();
    const abort = new AbortController();
    const invoke = async (): Promise<Completion> => {
      await new Promise((r) => setTimeout(r, 10));
      return { type: "ok", value: null };
    };
    setTimeout(() => abort.abort(), 100);
    await runClients(writes(3), { threads: 2, nodes: ["n1"], clock, recorder, clientFor, invoke, opTimeoutMs: 1000, signal: abort.signal });
    const ops = recorder.history();
    expect(ops.filter((o) => o.type === "invoke").length).toBe(ops.filter((o) => o.type === "ok").length);
    expect(ops.length).toBeGreaterThan(4);
  });
});
