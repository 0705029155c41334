import { describe, expect, it } from "vitest";
import { TestNetwork } from "../sim/harness.js";
import { SafetyChecker } from "../sim/invariants.js";

const ABC = ["a", "b", "c"];

/**
 * a leads term 1, then drops out; b and c time out together, so their pre-votes
 * cross and both campaign in term 2. a then comes back and serves whoever leads.
 */
function raceAfterLeaderLoss(net: TestNetwork): void {
  net.campaign("a");
  net.isolate("a");
  for (const id of ["b", "c"]) {
    for (let i = 0; i < 21 && net.raft(id).status().role === "follower"; i++) net.tick(id);
    expect(net.raft(id).status().role).toBe("precandidate");
  }
  net.deliverUntilQuiet();
}

/** The leaders of `term`: a, cut off, still believes it leads term 1. */
function leadersOf(net: TestNetwork, term: number): string[] {
  return net.leaders().filter((id) => net.raft(id).status().term === term);
}

/** Feeds the simulator's safety checker what the network's nodes show now. */
function observe(net: TestNetwork, checker: SafetyChecker): void {
  for (const id of ABC) checker.observeApplied(id, net.raft(id).status().term, net.applied.get(id) ?? []);
  checker.observeLeaders(
    net.leaders().map((id) => ({ id, term: net.raft(id).status().term, log: (i: number) => net.raft(id).entryAt(i) })),
  );
}

describe("the no-term-check bug", () => {
  it("without it, the crossed campaigns split the vote and term 2 has no leader", () => {
    const net = new TestNetwork(ABC);
    raceAfterLeaderLoss(net);
    expect(leadersOf(net, 2)).toEqual([]);
    expect(net.raft("b").status()).toMatchObject({ role: "candidate", term: 2, vote: "b" });
  });

  it("with it, both candidates win term 2; a third node commits for both, and the safety checker sees it", () => {
    const net = new TestNetwork(ABC, { bugs: { noTermCheck: true } });
    raceAfterLeaderLoss(net);
    expect(leadersOf(net, 2)).toEqual(["b", "c"]);
    for (const id of ["b", "c"]) expect(net.raft(id).status()).toMatchObject({ term: 2, vote: id, leader: id });

    // Each leader answers the other as a stale leader, which keeps both alive past check-quorum.
    const tickLeaders = (times: number) => {
      for (let i = 0; i < times; i++) {
        net.tick("b");
        net.tick("c");
        net.deliverUntilQuiet();
      }
    };
    tickLeaders(30);
    expect(leadersOf(net, 2)).toEqual(["b", "c"]);

    net.recover();
    expect(net.raft("b").propose("x=1")).toMatchObject({ ok: true, index: 3, term: 2 });
    expect(net.raft("c").propose("x=2")).toMatchObject({ ok: true, index: 3, term: 2 });
    tickLeaders(3);
    // a holds (3, t2) from one leader and takes the other's (3, t2) for the same entry.
    expect(net.raft("b").status().commitIndex).toBe(3);
    expect(net.raft("c").status().commitIndex).toBe(3);
    expect(net.applied.get("b")?.at(-1)?.data).toBe("x=1");
    expect(net.applied.get("c")?.at(-1)?.data).toBe("x=2");

    const checker = new SafetyChecker();
    observe(net, checker);
    expect(checker.violations.some((v) => v.includes("election safety: b and c are both leaders of term 2"))).toBe(true);
    expect(checker.violations.some((v) => v.includes("state machine safety") && v.includes("3:t2"))).toBe(true);
  });
});
