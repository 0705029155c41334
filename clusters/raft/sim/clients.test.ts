import { describe, expect, it } from "vitest";
import type { Entry } from "../core/types.js";
import { encodeCommand } from "../state/commands.js";
import { ClientLedger } from "./clients.js";
import { SafetyChecker } from "./invariants.js";

function put(index: number, key: string, value: string): Entry {
  return { index, term: 1, type: "normal", data: encodeCommand({ op: "put", key, value }) };
}

function ledger(): { l: ClientLedger; c: SafetyChecker } {
  const c = new SafetyChecker();
  return { l: new ClientLedger(c), c };
}

describe("the simulated clients' invariants", () => {
  it("pass a run where every answer matches what was applied", () => {
    const { l, c } = ledger();
    const a = l.issueWrite(1, "n1");
    const b = l.issueWrite(2, "n1");
    const d = l.issueWrite(3, "n2");
    l.observeApplied("n1", [put(1, a.key, a.value)]);
    l.resolveWrite(a.key, "ok");
    l.resolveWrite(b.key, "fail");
    // An unknown outcome may apply.
    l.observeApplied("n1", [put(2, d.key, d.value)]);
    l.resolveWrite(d.key, "info");
    l.observeRead("n2", a.key, a.value);
    l.checkNoAckedWriteLost("n2", { get: (k) => (k === a.key ? a.value : null), list: () => undefined });
    expect(c.violations).toEqual([]);
    expect(l.counts().writes).toEqual({ pending: 0, ok: 1, fail: 1, info: 1 });
  });

  it("catch a 503 for a write applied before the answer, and one applied after it", () => {
    const before = ledger();
    const a = before.l.issueWrite(1, "n1");
    before.l.observeApplied("n2", [put(4, a.key, a.value)]);
    before.l.resolveWrite(a.key, "fail");
    expect(before.c.violations).toEqual(["step 0: 503 for an applied write: k1 got 503 from n1 but n2 applied it"]);
    const after = ledger();
    const b = after.l.issueWrite(2, "n1");
    after.l.resolveWrite(b.key, "fail");
    after.l.observeApplied("n3", [put(7, b.key, b.value)]);
    expect(after.c.violations).toEqual(["step 0: 503 for an applied write: k2 got 503 from n1, then n3 applied it at 7"]);
  });

  it("catch an acknowledged write missing from a healed node, and a read that misses it", () => {
    const { l, c } = ledger();
    const a = l.issueWrite(1, "n1");
    l.resolveWrite(a.key, "ok");
    l.observeRead("n2", a.key, null);
    l.checkNoAckedWriteLost("n3", { get: () => null, list: () => undefined });
    expect(c.violations).toEqual([
      "step 0: stale read: n2 read k1 as null after it was acknowledged as v1",
      "step 0: acknowledged write lost: k1=v1 was acknowledged by n1, n3 has null",
    ]);
  });

  it("count a session write applied twice, and a retry's 503 as unknown, not failed", () => {
    const { l, c } = ledger();
    const a = l.issueWrite(1, "n1", "append");
    l.resolveWrite(a.key, "info");
    l.retryWrite(a.key, "n2");
    l.resolveWrite(a.key, "fail");
    expect(l.counts()).toMatchObject({ writes: { info: 1, fail: 0 }, retries: 1 });
    const b = l.issueWrite(2, "n1", "append");
    l.resolveWrite(b.key, "ok");
    const lists = new Map([
      [a.key, [1]],
      [b.key, [2]],
    ]);
    const state = { get: () => null, list: (k: string) => lists.get(k) };
    l.checkAppliedAtMostOnce("n3", state);
    l.checkNoAckedWriteLost("n3", state);
    expect(c.violations).toEqual([]);
    lists.set(b.key, [2, 2]);
    l.checkAppliedAtMostOnce("n3", state);
    expect(c.violations).toEqual(["step 0: write applied 2 times: n3 holds k2=[2,2] (session retry not deduplicated)"]);
  });

  it("leave writes held by a node that died as unknown", () => {
    const { l } = ledger();
    l.issueWrite(1, "n1");
    l.issueWrite(2, "n2");
    l.abandon("n1");
    expect(l.counts().writes).toEqual({ pending: 1, ok: 0, fail: 0, info: 1 });
  });
});
