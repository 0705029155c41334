import { describe, expect, it } from "vitest";
import { seededRng } from "../../../src/rng.js";
import { TestNetwork } from "../sim/harness.js";
import type { ConfigChangeResult, Entry, NodeId } from "./types.js";

/**
 * Single-server membership changes (./config.ts), one test per rule, in the
 * style of etcd-io/raft's scripted tests: the network moves only when the test
 * says so.
 */

const ABC = ["a", "b", "c"];

function elected(ids: NodeId[] = ABC, leader: NodeId = "a"): TestNetwork {
  const net = new TestNetwork(ids);
  net.campaign(leader);
  expect(net.leaders()).toEqual([leader]);
  return net;
}

function voters(net: TestNetwork, id: NodeId): NodeId[] {
  return [...net.raft(id).status().config.voters].sort();
}

function refusedWith(r: ConfigChangeResult): string {
  if (r.ok) throw new Error(`expected a refusal, the change was appended at ${r.index}`);
  return `${r.reason}: ${r.detail}`;
}

/** Ticks every node `times` times, delivering everything after each round. */
function run(net: TestNetwork, times: number): void {
  for (let i = 0; i < times; i++) {
    for (const id of net.ids) net.tick(id);
    net.deliverUntilQuiet();
  }
}

function dataOf(entries: Entry[]): string[] {
  return entries.filter((e) => e.type === "normal").map((e) => e.data);
}

describe("adding a voter", () => {
  it("an empty joining node catches up by appends and counts toward the quorum once its entry is in the log", () => {
    const net = elected();
    net.raft("a").propose("x1");
    net.deliverUntilQuiet();
    net.join("d");
    expect(net.raft("d").status().config.voters).toEqual([]);
    const r = net.raft("a").proposeConfigChange({ op: "add", id: "d", addrs: { peer: "127.0.0.1:9", http: "http://127.0.0.1:8" } });
    expect(r).toMatchObject({ ok: true, index: 3, config: { voters: ["a", "b", "c", "d"] } });
    // In force on the leader at once, before it commits.
    expect(net.raft("a").status()).toMatchObject({ configIndex: 3, commitIndex: 2 });
    expect(voters(net, "a")).toEqual(["a", "b", "c", "d"]);
    net.deliverUntilQuiet();
    for (const id of ["a", "b", "c", "d"]) {
      expect(voters(net, id), id).toEqual(["a", "b", "c", "d"]);
      expect(net.raft(id).status()).toMatchObject({ commitIndex: 3, configIndex: 3 });
      expect(net.raft(id).status().config.addrs.d).toEqual({ peer: "127.0.0.1:9", http: "http://127.0.0.1:8" });
    }
    expect(dataOf(net.applied.get("d") ?? [])).toEqual(["x1"]);
    // Four voters: a quorum is three, so a and b alone no longer commit.
    net.cut("a", "c");
    net.cut("a", "d");
    net.raft("a").propose("x2");
    net.deliverUntilQuiet();
    expect(net.raft("a").status().commitIndex).toBe(3);
    net.recover();
    // The lost appends stall, and are re-sent after an election timeout.
    run(net, 12);
    expect(net.raft("a").status().commitIndex).toBe(4);
  });

  it("a node that joined can be elected once it is a voter", () => {
    // Without check-quorum the followers hold no lease, so d's campaign is heard at once.
    const net = new TestNetwork(ABC, { checkQuorum: false });
    net.campaign("a");
    net.join("d");
    expect(net.raft("a").proposeConfigChange({ op: "add", id: "d" }).ok).toBe(true);
    net.deliverUntilQuiet();
    net.isolate("a");
    net.campaign("d");
    expect(net.raft("d").status()).toMatchObject({ role: "leader", term: 2 });
    expect(net.raft("b").status().leader).toBe("d");
  });

  it("a joining node that is not yet a voter never campaigns", () => {
    const net = elected();
    net.join("d");
    net.tick("d", 100);
    net.deliverUntilQuiet();
    expect(net.raft("d").status()).toMatchObject({ role: "follower", term: 0 });
    expect(net.delivered.filter((m) => m.from === "d")).toEqual([]);
  });

  it("a node added by an entry it has not received still votes once its leader goes quiet (found by the simulator)", () => {
    const net = elected();
    net.join("d");
    // d hears the leader's heartbeats but none of its appends: it never learns it is a voter.
    net.intercept = (m) => (m.to === "d" && m.type === "append" ? null : m);
    expect(net.raft("a").proposeConfigChange({ op: "add", id: "d" }).ok).toBe(true);
    run(net, 5);
    expect(voters(net, "b")).toEqual(["a", "b", "c", "d"]);
    expect(net.raft("d").status()).toMatchObject({ leader: "a", config: { voters: [] } });
    // Without a, b and c need d's vote for a quorum of the four; d's lease on a must run out.
    net.isolate("a");
    run(net, 60);
    const leaders = net.leaders().filter((id) => id !== "a");
    expect(leaders).toHaveLength(1);
    expect(net.raft(leaders[0]!).status().term).toBeGreaterThan(1);
  });
});

describe("removing a voter", () => {
  it("the removed follower gets nothing more and the rest commit as a pair", () => {
    const net = elected();
    const r = net.raft("a").proposeConfigChange({ op: "remove", id: "c" });
    expect(r).toMatchObject({ ok: true, config: { voters: ["a", "b"] } });
    net.deliverUntilQuiet();
    expect(voters(net, "a")).toEqual(["a", "b"]);
    expect(voters(net, "b")).toEqual(["a", "b"]);
    const sentToC = net.delivered.filter((m) => m.to === "c").length;
    net.raft("a").propose("after");
    net.deliverUntilQuiet();
    expect(net.raft("b").status().commitIndex).toBe(3);
    expect(net.delivered.filter((m) => m.to === "c").length).toBe(sentToC);
  });

  it("a removed node that missed its removal cannot disrupt the rest (pre-vote: its log is behind)", () => {
    const net = elected();
    net.isolate("c");
    // c is cut off, so its removal must not need it: a and b are live, two of two.
    run(net, 1);
    expect(net.raft("a").proposeConfigChange({ op: "remove", id: "c" }).ok).toBe(true);
    net.deliverUntilQuiet();
    net.raft("a").propose("x");
    net.deliverUntilQuiet();
    net.recover();
    const termBefore = net.raft("a").status().term;
    run(net, 40);
    expect(net.leaders()).toEqual(["a"]);
    expect(net.raft("a").status().term).toBe(termBefore);
  });

  it("a leader that removes itself leads until the removal commits, then steps down and never campaigns", () => {
    const net = elected();
    expect(net.raft("a").proposeConfigChange({ op: "remove", id: "a" }).ok).toBe(true);
    expect(net.raft("a").status().role).toBe("leader");
    net.deliverUntilQuiet();
    expect(net.raft("a").status()).toMatchObject({ role: "follower", leader: null, commitIndex: 2 });
    expect(voters(net, "b")).toEqual(["b", "c"]);
    run(net, 40);
    const leaders = net.leaders();
    expect(leaders.length).toBe(1);
    expect(["b", "c"]).toContain(leaders[0]);
    expect(net.raft("a").status().role).toBe("follower");
  });
});

describe("refusals, each with its reason", () => {
  it("a second change while one is in flight", () => {
    const net = elected();
    expect(net.raft("a").proposeConfigChange({ op: "remove", id: "c" }).ok).toBe(true);
    expect(refusedWith(net.raft("a").proposeConfigChange({ op: "remove", id: "b" }))).toMatch(
      /^refused: a membership change is already in progress \(entry 2, committed up to 1\)/,
    );
    net.deliverUntilQuiet();
    // Committed: the next change may go.
    expect(refusedWith(net.raft("a").proposeConfigChange({ op: "add", id: "a" }))).toBe("refused: a is already a member");
  });

  it("a new leader before it has committed an entry of its own term", () => {
    const net = new TestNetwork(ABC);
    net.intercept = (m) => (m.type === "appendResp" ? null : m);
    net.campaign("a");
    expect(net.raft("a").status()).toMatchObject({ role: "leader", commitIndex: 0 });
    expect(refusedWith(net.raft("a").proposeConfigChange({ op: "remove", id: "c" }))).toBe(
      "busy: the leader has not committed an entry of its term 1 yet; retry shortly",
    );
    net.intercept = null;
    run(net, 2);
    expect(net.raft("a").status().commitIndex).toBe(1);
    expect(net.raft("a").proposeConfigChange({ op: "remove", id: "c" }).ok).toBe(true);
  });

  it("a voter silent for less than two election timeouts still counts as live", () => {
    const net = elected();
    net.isolate("c");
    run(net, 19);
    // Silent for less than two election timeouts: still counted live.
    expect(net.raft("a").proposeConfigChange({ op: "remove", id: "b" }).ok).toBe(true);
    net.deliverUntilQuiet();
    expect(voters(net, "a")).toEqual(["a", "c"]);
  });

  it("removing a node when the remaining voters could not form a quorum of live nodes (the dead one silent for two election timeouts)", () => {
    const net = elected();
    net.isolate("c");
    run(net, 20);
    expect(net.leaders()).toEqual(["a"]);
    expect(refusedWith(net.raft("a").proposeConfigChange({ op: "remove", id: "b" }))).toBe(
      "refused: removing b would lose the quorum: 2 voters after it need 2, and only 1 of them are live (a)",
    );
    // Removing the dead one is safe.
    expect(net.raft("a").proposeConfigChange({ op: "remove", id: "c" }).ok).toBe(true);
  });

  it("adding a node when the live voters could not form the larger quorum", () => {
    const net = elected();
    net.isolate("c");
    run(net, 20);
    expect(refusedWith(net.raft("a").proposeConfigChange({ op: "add", id: "d" }))).toBe(
      "refused: adding d would lose the quorum: 4 voters after it need 3, and only 2 of them are live (a, b)",
    );
  });

  it("removing the last member, removing a non-member, and adding a member", () => {
    const net = elected(["a"]);
    expect(refusedWith(net.raft("a").proposeConfigChange({ op: "remove", id: "a" }))).toBe("refused: cannot remove a, the last member");
    expect(refusedWith(net.raft("a").proposeConfigChange({ op: "remove", id: "z" }))).toBe("refused: z is not a member (members: a)");
    expect(refusedWith(net.raft("a").proposeConfigChange({ op: "add", id: "a" }))).toBe("refused: a is already a member");
  });

  it("a follower names the leader instead", () => {
    const net = elected();
    expect(net.raft("b").proposeConfigChange({ op: "remove", id: "c" })).toEqual({
      ok: false,
      leader: "a",
      reason: "notLeader",
      detail: "not the leader",
    });
  });

  it("growing one node to two is allowed, as the only way to add to a single node (etcd's exception)", () => {
    const net = elected(["a"]);
    net.join("b");
    expect(net.raft("a").proposeConfigChange({ op: "add", id: "b" }).ok).toBe(true);
    net.deliverUntilQuiet();
    expect(voters(net, "b")).toEqual(["a", "b"]);
    expect(net.raft("b").status().commitIndex).toBe(2);
  });
});

describe("configurations in the log", () => {
  it("a truncated configuration entry is undone", () => {
    const net = elected();
    net.isolate("a");
    expect(net.raft("a").proposeConfigChange({ op: "remove", id: "c" }).ok).toBe(true);
    expect(voters(net, "a")).toEqual(["a", "b"]);
    net.deliverUntilQuiet();
    run(net, 30);
    const [leader] = net.leaders().filter((id) => id !== "a");
    expect(["b", "c"]).toContain(leader);
    net.raft(leader as NodeId).propose("b1");
    net.deliverUntilQuiet();
    net.recover();
    run(net, 3);
    // a's entry 2 (its uncommitted removal of c) was replaced by b's noop.
    expect(net.raft("a").entryAt(2)?.type).toBe("noop");
    expect(voters(net, "a")).toEqual(["a", "b", "c"]);
    expect(net.raft("a").status().configIndex).toBe(0);
  });

  it("survives a restart from the log", () => {
    const net = elected();
    expect(net.raft("a").proposeConfigChange({ op: "remove", id: "c" }).ok).toBe(true);
    net.deliverUntilQuiet();
    net.restart("b");
    expect(voters(net, "b")).toEqual(["a", "b"]);
    expect(net.raft("b").status().configIndex).toBe(2);
  });

  it("a snapshot carries the configuration, to a member that joins after compaction and across restarts", () => {
    const net = elected();
    expect(net.raft("a").proposeConfigChange({ op: "remove", id: "c" }).ok).toBe(true);
    net.deliverUntilQuiet();
    for (let i = 0; i < 5; i++) net.raft("a").propose(`x${i}`);
    net.deliverUntilQuiet();
    const applied = net.raft("a").status().appliedIndex;
    net.raft("a").compact(applied, "state", 0);
    net.join("d");
    expect(net.raft("a").proposeConfigChange({ op: "add", id: "d" }).ok).toBe(true);
    net.deliverUntilQuiet();
    const installed = net.installed.get("d") ?? [];
    expect(installed.map((s) => ({ index: s.index, voters: s.config.voters }))).toEqual([{ index: applied, voters: ["a", "b"] }]);
    expect(voters(net, "d")).toEqual(["a", "b", "d"]);
    // Restarted from its snapshot and the entry after it, d still knows the configuration.
    net.restart("d");
    expect(voters(net, "d")).toEqual(["a", "b", "d"]);
    // And compacting past the config entry leaves it in the next snapshot.
    net.raft("a").propose("y");
    net.deliverUntilQuiet();
    const later = net.raft("a").status().appliedIndex;
    net.raft("a").compact(later, "state2", 0);
    expect(net.raft("a").configAt(later).config.voters).toEqual(["a", "b", "d"]);
    expect(voters(net, "a")).toEqual(["a", "b", "d"]);
  });
});

describe("random membership changes under faults (seeded)", () => {
  /**
   * Seeded runs of random steps: proposals, single-server adds of fresh nodes and
   * removals of voters, cut links, lossy links, restarts, ticks. After every step
   * no term has two leaders and no two nodes hold different committed entries
   * at an index; after healing, the voters elect a leader and commit again.
   */
  const SEEDS = 40;
  const STEPS = 150;

  function runSeed(seed: number): void {
    const rng = seededRng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
    const net = new TestNetwork(ABC);
    const leaderOfTerm = new Map<number, NodeId>();
    const committed = new Map<number, string>();
    let fresh = 0;
    let proposals = 0;
    const where = (step: number) => `seed ${seed} step ${step}`;
    const check = (step: number): void => {
      for (const id of net.ids) {
        const s = net.raft(id).status();
        if (s.role === "leader") {
          const known = leaderOfTerm.get(s.term);
          expect(known === undefined || known === id, `${where(step)}: term ${s.term} has leaders ${known} and ${id}`).toBe(true);
          leaderOfTerm.set(s.term, id);
        }
        for (let i = s.snapshotIndex + 1; i <= s.commitIndex; i++) {
          const e = net.raft(id).entryAt(i) as Entry;
          const key = `${e.term}/${e.type}/${e.data}`;
          const other = committed.get(i);
          expect(other === undefined || other === key, `${where(step)}: ${id} committed ${key} at ${i}, another node ${other}`).toBe(true);
          committed.set(i, key);
        }
      }
    };
    for (let step = 0; step < STEPS; step++) {
      const r = rng();
      const leader = net.leaders().at(-1);
      if (r < 0.3 && leader !== undefined) {
        net.raft(leader).propose(`p${proposals++}`);
      } else if (r < 0.4 && leader !== undefined) {
        const voters = net.raft(leader).status().config.voters;
        if (rng() < 0.5 || voters.length <= 2) {
          const id = `x${fresh++}`;
          net.join(id);
          net.raft(leader).proposeConfigChange({ op: "add", id });
        } else {
          net.raft(leader).proposeConfigChange({ op: "remove", id: pick(voters) });
        }
      } else if (r < 0.47) {
        const a = pick(net.ids);
        const b = pick(net.ids);
        if (a !== b) net.cut(a, b);
      } else if (r < 0.52) {
        net.drop(pick(net.ids), pick(net.ids), 0.5);
      } else if (r < 0.6) {
        net.recover();
      } else if (r < 0.65) {
        net.restart(pick(net.ids));
      } else {
        for (const id of net.ids) net.tick(id);
      }
      net.deliverUntilQuiet();
      check(step);
    }
    net.recover();
    run(net, 60);
    check(STEPS);
    const leaders = net.leaders().filter((id) => net.raft(id).status().config.voters.includes(id));
    expect(leaders.length, `seed ${seed}: no voter leads after healing`).toBeGreaterThanOrEqual(1);
    const leader = leaders.at(-1) as NodeId;
    const before = net.raft(leader).status().commitIndex;
    net.raft(leader).propose("final");
    run(net, 3);
    expect(net.raft(leader).status().commitIndex, `seed ${seed}: the healed cluster does not commit`).toBeGreaterThan(before);
  }

  it(`${SEEDS} seeds of ${STEPS} steps stay safe and recover`, () => {
    for (let seed = 1; seed <= SEEDS; seed++) runSeed(seed);
  });
});
