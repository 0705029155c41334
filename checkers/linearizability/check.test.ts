import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { History, Op } from "../../src/history/op.js";
import { readHistory } from "../../src/history/formats.js";
import { pairOperations } from "../../src/history/pair.js";
import { checkHistory, linearizabilityChecker } from "./check.js";
import { CORPUS_DIR } from "./corpus.js";
import { corpusPart, itWith } from "../../test/support/real.js";
import { renderHtml } from "./html.js";
import { shrink } from "./shrink.js";

const corpus = (file: string) => resolve(CORPUS_DIR, file);

function history(rows: Array<[number, Op["type"], string, unknown, string?]>): History {
  return rows.map(([process, type, f, value, key], index) => ({ index, time: index, process, type, f, value, ...(key ? { key } : {}) }));
}

// Two keys: "a" is fine; on "b" a read sees a value overwritten before it began.
const stale = history([
  [1, "invoke", "write", 1, "a"],
  [1, "ok", "write", 1, "a"],
  [2, "invoke", "write", 1, "b"],
  [2, "ok", "write", 1, "b"],
  [2, "invoke", "write", 2, "b"],
  [2, "ok", "write", 2, "b"],
  [3, "invoke", "read", null, "b"],
  [1, "invoke", "read", null, "a"],
  [1, "ok", "read", 1, "a"],
  [3, "ok", "read", 1, "b"],
]);

describe("linearizability checker", () => {
  it("is a Checker over recorded histories, partitioned by key, with an explanation", async () => {
    const checker = linearizabilityChecker("register");
    const result = (await checker.check(stale)) as Awaited<ReturnType<typeof checkHistory>>["result"];
    expect(result.valid).toBe(false);
    expect(Object.keys(result.partitions).sort()).toEqual(["a", "b"]);
    const [anomaly] = result.anomalies;
    expect(anomaly.partition).toBe("b");
    expect(anomaly.state).toBe("the register holds 2");
    expect(anomaly.stuck.text).toMatch(/process 3 read \[b\] nil -> 1/);
    expect(() => linearizabilityChecker("nope")).toThrow(/known models/);
  });

  it("renders a self-contained HTML view with the failing op marked", async () => {
    const run = await checkHistory(stale, { model: "register" });
    const html = renderHtml("stale", run.result, new Map(run.partitions.map((p) => [p.name, p.ops])));
    expect(html).toMatch(/<svg/);
    expect(html).toMatch(/class="stuck"/);
    expect(html).not.toMatch(/<script|src=|href=|https?:/);
  });

  it("shrinks a stale read to a stale read: across keys, keeping the write it saw", async () => {
    const shrunk = await shrink(pairOperations(stale), { model: "register", budgetMs: 5_000 });
    // Not just "write 2, read 1" (a read of a value nobody wrote): the write of 1 stays.
    expect(shrunk.ops.map((op) => [op.key, op.f, op.known ? (op.output ?? op.value) : "?"])).toEqual([
      ["b", "write", 1],
      ["b", "write", 2],
      ["b", "read", 1],
    ]);
    expect(shrunk.signature.kind).toBe("order");
    expect((await checkHistory(shrunk.history, { model: "register" })).result.valid).toBe(false);
  });

  itWith([corpusPart()], "returns unknown with partial results when the time budget runs out", async () => {
    const source = await readHistory(corpus("porcupine/kv/c10-bad.txt"));
    const { result } = await checkHistory(source.ops, { model: "kv-unpartitioned", decompose: false, timeoutMs: 200, workers: 0 });
    expect(result.valid).toBe("unknown");
    const [part] = Object.values(result.partitions);
    expect(part.reason).toBe("timeout");
    expect(part.linearized).toBeGreaterThan(0);
  });

  itWith([corpusPart()], "gives up a search that outgrows its memory budget", async () => {
    const source = await readHistory(corpus("porcupine/kv/c10-bad.txt"));
    const { result } = await checkHistory(source.ops, { model: "kv-unpartitioned", decompose: false, memoryBytesMax: 2 ** 20, workers: 0 });
    expect(result.valid).toBe("unknown");
    expect(Object.values(result.partitions)[0].reason).toBe("memory");
  });

  itWith([corpusPart()], "checks partitions in worker threads; the first illegal one cancels the rest", async () => {
    const bad = await readHistory(corpus("porcupine/kv/c50-bad.txt"));
    const r1 = (await checkHistory(bad.ops, { model: "kv", workers: 2 })).result;
    expect(r1.valid).toBe(false);
    expect(r1.anomalies[0].text).toMatch(/not linearizable/);
    const ok = await readHistory(corpus("porcupine/kv/c10-ok.txt"));
    expect((await checkHistory(ok.ops, { model: "kv", workers: 2 })).result.valid).toBe(true);
  });
});
