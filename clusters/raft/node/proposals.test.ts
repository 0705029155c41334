import { describe, expect, it } from "vitest";
import type { Message } from "../core/types.js";
import { TestNetwork } from "../sim/harness.js";
import { type ProposeOutcome, Proposals } from "./proposals.js";

function waiting(term: number, outcomes: ProposeOutcome[]) {
  return { term, bugAck: null, deadlineMs: Number.MAX_SAFE_INTEGER, resolve: (o: ProposeOutcome) => outcomes.push(o) };
}

describe("proposal outcomes", () => {
  it("a proposal cut from the leader's log can still commit, through another node (why 503 would lie)", () => {
    // Without check-quorum (and so leader leases), votes move on the script alone.
    const net = new TestNetwork(["a", "b", "c", "d", "e"], { checkQuorum: false });
    net.campaign("a");
    const cutAll = (x: string) => net.isolate(x);
    // a's X, W, Z (indexes 2..4) reach b only.
    for (const p of ["c", "d", "e"]) net.cut("a", p);
    for (const cmd of ["X", "W", "Z"]) net.raft("a").propose(cmd);
    net.deliverUntilQuiet();
    expect(net.raft("b").entryAt(4)?.data).toBe("Z");
    // c leads term 2 with d and e, but its appends reach no one yet.
    net.cut("b", "c");
    const leaderTraffic = (from: string, to: string[]) => (m: Message) =>
      m.from === from && to.includes(m.to) && (m.type === "append" || m.type === "heartbeat") ? null : m;
    net.intercept = leaderTraffic("c", ["d", "e"]);
    net.campaign("c");
    expect(net.raft("c").status().role).toBe("leader");
    // c repairs a alone: a's log is cut back to [1, c's noop].
    net.recover();
    for (const p of ["b", "d", "e"]) net.cut("c", p);
    for (const p of ["b", "d", "e"]) net.cut("a", p);
    net.tick("c");
    net.deliverUntilQuiet();
    expect(net.raft("a").status().lastIndex).toBe(2);
    // a leads term 3 with d and e; its new proposal takes index 4, Z's index in its old log.
    net.recover();
    cutAll("c");
    net.intercept = leaderTraffic("a", ["b", "c", "d", "e"]);
    net.campaign("a");
    expect(net.raft("a").status().role).toBe("leader");
    const y = net.raft("a").propose("Y");
    expect(y).toMatchObject({ ok: true, index: 4 });
    // b, still holding Z, leads a later term with d and e, and commits Z.
    net.intercept = null;
    cutAll("a");
    net.campaign("b");
    if (net.raft("b").status().role !== "leader") net.campaign("b");
    net.deliverUntilQuiet();
    expect(net.raft("b").status().role).toBe("leader");
    expect(net.raft("b").entryAt(4)?.data).toBe("Z");
    expect(net.raft("b").status().commitIndex).toBeGreaterThanOrEqual(4);
  });

  it("answers a displaced proposal 'timeout' (unknown), never 'unavailable'", () => {
    const table = new Proposals();
    const z: ProposeOutcome[] = [];
    const y: ProposeOutcome[] = [];
    table.add(4, waiting(1, z));
    table.add(4, waiting(3, y));
    expect(z).toEqual([{ kind: "timeout" }]);
    expect(y).toEqual([]);
  });

  it("answers 'unavailable' only when another entry committed at the proposal's index", () => {
    const table = new Proposals();
    const lost: ProposeOutcome[] = [];
    const noop: ProposeOutcome[] = [];
    const won: ProposeOutcome[] = [];
    table.add(4, waiting(3, lost));
    table.add(5, waiting(3, noop));
    table.add(6, waiting(3, won));
    table.applied(4, 1, { op: "put", index: 4 }, "b");
    table.applied(5, 4, null, "b");
    table.applied(6, 3, { op: "put", index: 6 }, "a");
    expect(lost).toMatchObject([{ kind: "unavailable", leader: "b" }]);
    expect(noop).toMatchObject([{ kind: "unavailable" }]);
    expect(won).toEqual([{ kind: "applied", result: { op: "put", index: 6 } }]);
    expect(table.size).toBe(0);
  });
});
