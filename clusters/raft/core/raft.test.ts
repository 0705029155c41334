import { describe, expect, it } from "vitest";
import { TestNetwork } from "../sim/harness.js";
import { Raft } from "./raft.js";
import { seededRng } from "../../../src/rng.js";
import type { AppendRequest, Entry, Message, RestoredState } from "./types.js";

const ABC = ["a", "b", "c"];

function log(...terms: number[]): Entry[] {
  return terms.map((term, i) => ({ index: i + 1, term, type: "normal", data: `e${i + 1}t${term}` }));
}

function restored(term: number, entries: Entry[]): RestoredState {
  return { hardState: { term, vote: null, commit: 0 }, entries };
}

function terms(net: TestNetwork, id: string): number[] {
  const out: number[] = [];
  const last = net.raft(id).status().lastIndex;
  for (let i = 1; i <= last; i++) out.push(net.raft(id).entryAt(i)?.term ?? -1);
  return out;
}

/** One line per message, for readable golden traces. */
function trace(msgs: Message[]): string[] {
  return msgs.map((m) => {
    const head = `${m.from}->${m.to} ${m.type} t${m.term}`;
    switch (m.type) {
      case "vote":
      case "prevote":
        return `${head} last=${m.lastLogIndex}/t${m.lastLogTerm}`;
      case "voteResp":
      case "prevoteResp":
        return `${head} ${m.granted ? "granted" : "rejected"}`;
      case "append":
        return `${head} prev=${m.prevIndex}/t${m.prevTerm} n=${m.entries.length} commit=${m.commit}`;
      case "appendResp":
        return `${head} ${m.success ? "ok" : "reject"} index=${m.index}`;
      case "heartbeat":
        return `${head} commit=${m.commit}`;
      case "heartbeatResp":
        return head;
      case "snapshot":
        return `${head} snapshot=${m.snapshot.index}/t${m.snapshot.term}`;
    }
  });
}

describe("election", () => {
  it("elects one leader, whose noop commits everywhere (golden trace)", () => {
    const net = new TestNetwork(ABC);
    net.campaign("a");
    expect(net.leaders()).toEqual(["a"]);
    for (const id of ABC) {
      expect(net.raft(id).status()).toMatchObject({ term: 1, leader: "a", commitIndex: 1 });
      expect(net.applied.get(id)).toEqual([{ index: 1, term: 1, type: "noop", data: "" }]);
    }
    expect(trace(net.delivered)).toEqual([
      "a->b prevote t1 last=0/t0",
      "a->c prevote t1 last=0/t0",
      "b->a prevoteResp t1 granted",
      "c->a prevoteResp t1 granted",
      "a->b vote t1 last=0/t0",
      "a->c vote t1 last=0/t0",
      "b->a voteResp t1 granted",
      "c->a voteResp t1 granted",
      "a->b append t1 prev=0/t0 n=1 commit=0",
      "a->c append t1 prev=0/t0 n=1 commit=0",
      "b->a appendResp t1 ok index=1",
      "c->a appendResp t1 ok index=1",
      "a->b heartbeat t1 commit=1",
      "a->c heartbeat t1 commit=1",
      "b->a heartbeatResp t1",
      "c->a heartbeatResp t1",
    ]);
  });

  it("grants a vote only in the Ready that persists it", () => {
    const b = new Raft(
      {
        id: "b",
        peers: ABC,
        electionTicks: 10,
        heartbeatTicks: 1,
        rng: seededRng(1),
        preVote: false,
        checkQuorum: false,
        maxInflightMsgs: 4,
        maxEntriesPerMsg: 8,
      },
      restored(0, []),
    );
    b.step({ type: "vote", from: "a", to: "b", term: 1, lastLogIndex: 0, lastLogTerm: 0 });
    const rd = b.ready();
    expect(rd.hardState).toEqual({ term: 1, vote: "a", commit: 0 });
    expect(rd.messages).toEqual([{ type: "voteResp", from: "b", to: "a", term: 1, granted: true }]);
    b.advance(rd);
    b.step({ type: "vote", from: "c", to: "b", term: 1, lastLogIndex: 5, lastLogTerm: 1 });
    expect(b.ready().messages).toEqual([{ type: "voteResp", from: "b", to: "c", term: 1, granted: false }]);
  });

  it("randomizes election timeouts within [electionTicks, 2*electionTicks)", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const r = new Raft(
        {
          id: "a",
          peers: ABC,
          electionTicks: 10,
          heartbeatTicks: 1,
          rng: seededRng(seed),
          preVote: true,
          checkQuorum: true,
          maxInflightMsgs: 4,
          maxEntriesPerMsg: 8,
        },
        restored(0, []),
      );
      let ticks = 0;
      while (r.status().role === "follower" && ticks < 100) {
        r.tick();
        ticks++;
      }
      expect(ticks).toBeGreaterThanOrEqual(10);
      expect(ticks).toBeLessThan(20);
    }
  });

  it("a single node elects itself and commits only after its own write is durable", () => {
    const net = new TestNetwork(["a"]);
    net.campaign("a");
    const a = net.raft("a");
    expect(a.status()).toMatchObject({ role: "leader", commitIndex: 1 });
    const p = a.propose("x");
    expect(p).toEqual({ ok: true, index: 2, term: 1 });
    const rd = a.ready();
    expect(rd.entries.map((e) => e.data)).toEqual(["x"]);
    expect(rd.committed).toEqual([]);
    expect(a.status().commitIndex).toBe(1);
    a.advance(rd);
    expect(a.status().commitIndex).toBe(2);
    expect(a.ready().committed.map((e) => e.data)).toEqual(["x"]);
  });

  it("refuses proposals on a follower and names the leader", () => {
    const net = new TestNetwork(ABC);
    net.campaign("a");
    expect(net.raft("b").propose("x")).toEqual({ ok: false, leader: "a", reason: "notLeader" });
  });
});

describe("replication", () => {
  it("batches every proposal since the last Ready into one append per follower", () => {
    const net = new TestNetwork(ABC);
    net.campaign("a");
    for (let i = 0; i < 10; i++) net.raft("a").propose(`v${i}`);
    net.flushReadies();
    const appends = net.queue.filter((m): m is AppendRequest => m.type === "append");
    expect(appends.map((m) => [m.to, m.entries.length])).toEqual([
      ["b", 10],
      ["c", 10],
    ]);
    net.deliverUntilQuiet();
    for (const id of ABC)
      expect(
        net.applied
          .get(id)
          ?.map((e) => e.data)
          .slice(1),
      ).toEqual([...Array(10).keys()].map((i) => `v${i}`));
  });

  it("pipelines up to maxInflightMsgs appends before waiting for acks", () => {
    const net = new TestNetwork(ABC, { maxInflightMsgs: 3 });
    net.campaign("a");
    for (let i = 0; i < 5; i++) {
      net.raft("a").propose(`v${i}`);
      net.flushReadies();
    }
    const toB = net.queue.filter((m) => m.type === "append" && m.to === "b");
    expect(toB.length).toBe(3);
    net.deliverUntilQuiet();
    expect(net.raft("b").status().commitIndex).toBe(6);
  });

  it("repairs a divergent follower, backtracking a term per round trip", () => {
    const leaderLog = log(1, 1, 1, 4, 4, 5, 5, 6, 6, 6);
    const net = new TestNetwork(
      ABC,
      {},
      {
        a: restored(6, leaderLog),
        b: restored(6, log(1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3)),
        c: restored(6, leaderLog),
      },
    );
    net.campaign("a");
    expect(net.leaders()).toEqual(["a"]);
    expect(terms(net, "b")).toEqual([1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7]);
    const rejects = net.delivered.filter((m) => m.type === "appendResp" && m.from === "b" && !m.success);
    // Naive backtracking would take one reject per index (7 here).
    expect(rejects.length).toBe(2);
    expect(net.raft("b").status().commitIndex).toBe(11);
  });

  it("catches up a follower that was cut off while the others committed", () => {
    const net = new TestNetwork(ABC);
    net.campaign("a");
    net.isolate("c");
    for (let i = 0; i < 100; i++) {
      net.raft("a").propose(`v${i}`);
      net.deliverUntilQuiet();
    }
    expect(net.raft("c").status().lastIndex).toBe(1);
    net.recover();
    // The appends streamed to c were lost: after an election timeout without acks the leader probes again.
    for (let i = 0; i < 10; i++) {
      net.tick("a");
      net.deliverUntilQuiet();
    }
    expect(net.raft("c").status()).toMatchObject({ lastIndex: 101, commitIndex: 101 });
    expect(net.applied.get("c")).toEqual(net.applied.get("a"));
  });
});

describe("append batches are bounded by bytes", () => {
  it("catches up a follower far behind in appends that each stay under the data limit", () => {
    // A follower that missed ~65 MiB of 1 MiB entries once got a single append over the
    // transport's 64 MiB frame limit; the leader died sending it.
    const charsMax = 3 * 1024 * 1024;
    const net = new TestNetwork(ABC, { maxEntriesPerMsg: 512, maxDataCharsPerMsg: charsMax });
    net.campaign("a");
    net.isolate("c");
    const big = "x".repeat(1024 * 1024);
    for (let i = 0; i < 12; i++) {
      net.raft("a").propose(`${i}${big}`);
      net.deliverUntilQuiet();
    }
    net.recover();
    const sizes: number[] = [];
    net.intercept = (m) => {
      if (m.type === "append" && m.to === "c") sizes.push(m.entries.reduce((n, e) => n + e.data.length, 0));
      return m;
    };
    for (let i = 0; i < 10; i++) {
      net.tick("a");
      net.deliverUntilQuiet();
    }
    expect(net.raft("c").status()).toMatchObject({ lastIndex: 13, commitIndex: 13 });
    expect(Math.max(...sizes)).toBeLessThanOrEqual(charsMax);
    expect(sizes.filter((n) => n > 0).length).toBeGreaterThanOrEqual(4);
  });

  it("sends one entry alone when it exceeds the data limit by itself", () => {
    const net = new TestNetwork(ABC, { maxDataCharsPerMsg: 10 });
    net.campaign("a");
    const counts: number[] = [];
    net.intercept = (m) => {
      if (m.type === "append" && m.entries.length > 0) counts.push(m.entries.length);
      return m;
    };
    net.raft("a").propose("a-long-command-over-ten");
    net.raft("a").propose("short");
    net.deliverUntilQuiet();
    expect(net.raft("b").status().commitIndex).toBe(3);
    expect(Math.max(...counts)).toBe(1);
  });
});

describe("snapshots and log compaction", () => {
  /** Leader a commits `n` proposals while c is cut off, then compacts to its applied index. */
  function behind(n: number, keep = 0): TestNetwork {
    const net = new TestNetwork(ABC);
    net.campaign("a");
    net.isolate("c");
    for (let i = 0; i < n; i++) net.raft("a").propose(`v${i}`);
    net.deliverUntilQuiet();
    const a = net.raft("a");
    a.compact(a.status().appliedIndex, `state@${a.status().appliedIndex}`, keep);
    return net;
  }

  it("sends a follower behind the compacted log the snapshot, then appends after it", () => {
    const net = behind(50);
    expect(net.raft("a").status().snapshotIndex).toBe(51);
    expect(net.raft("a").entryAt(10)).toBeUndefined();
    net.recover();
    const sent: Message[] = [];
    net.intercept = (m) => (sent.push(m), m);
    for (let i = 0; i < 12; i++) {
      net.tick("a");
      net.deliverUntilQuiet();
    }
    expect(sent.filter((m) => m.type === "snapshot").map((m) => m.to)).toEqual(["c"]);
    expect(net.installed.get("c")).toEqual([
      { index: 51, term: net.raft("a").status().term, data: "state@51", config: { voters: ABC, addrs: {} } },
    ]);
    net.raft("a").propose("after");
    net.deliverUntilQuiet();
    expect(net.raft("c").status()).toMatchObject({ lastIndex: 52, commitIndex: 52, snapshotIndex: 51 });
    // c applied the first noop before it was cut off, then nothing until the snapshot.
    expect(net.applied.get("c")!.map((e) => e.data)).toEqual(["", "after"]);
  });

  it("keeps the last keepEntries entries, so a follower a little behind gets appends, not a snapshot", () => {
    const net = behind(50, 100);
    expect(net.raft("a").status().snapshotIndex).toBe(0);
    net.recover();
    const types = new Set<string>();
    net.intercept = (m) => (types.add(m.type), m);
    for (let i = 0; i < 12; i++) {
      net.tick("a");
      net.deliverUntilQuiet();
    }
    expect(types.has("snapshot")).toBe(false);
    expect(net.raft("c").status().commitIndex).toBe(51);
  });

  it("a snapshot replaces a follower's divergent uncommitted tail", () => {
    const net = new TestNetwork(ABC, {}, { c: restored(1, log(1, 1, 1, 1)) });
    net.isolate("c");
    net.campaign("a");
    for (let i = 0; i < 10; i++) net.raft("a").propose(`v${i}`);
    net.deliverUntilQuiet();
    net.raft("a").compact(net.raft("a").status().appliedIndex, "S", 0);
    net.recover();
    for (let i = 0; i < 12; i++) {
      net.tick("a");
      net.deliverUntilQuiet();
    }
    const snap = net.raft("a").status().snapshotIndex;
    expect(net.raft("c").status()).toMatchObject({ snapshotIndex: snap, commitIndex: snap, lastIndex: snap });
    expect(net.raft("c").entryAt(4)).toBeUndefined();
  });

  it("restarts from a snapshot and the entries after it", () => {
    const net = behind(20);
    net.recover();
    for (let i = 0; i < 12; i++) {
      net.tick("a");
      net.deliverUntilQuiet();
    }
    net.raft("a").propose("tail");
    net.deliverUntilQuiet();
    net.restart("c");
    expect(net.raft("c").status()).toMatchObject({ snapshotIndex: 21, lastIndex: 22, appliedIndex: 21 });
    net.deliverUntilQuiet();
    expect(net.raft("c").status().commitIndex).toBeGreaterThanOrEqual(21);
  });
});

describe("durability across restarts", () => {
  it("a vote survives a restart, so a node never votes twice in a term", () => {
    const net = new TestNetwork(ABC, { preVote: false, checkQuorum: false });
    net.raft("b").step({ type: "vote", from: "a", to: "b", term: 1, lastLogIndex: 0, lastLogTerm: 0 });
    net.flushReadies();
    net.queue = [];
    net.restart("b");
    net.raft("b").step({ type: "vote", from: "c", to: "b", term: 1, lastLogIndex: 0, lastLogTerm: 0 });
    net.flushReadies();
    expect(net.queue).toEqual([{ type: "voteResp", from: "b", to: "c", term: 1, granted: false }]);
  });

  it("a follower that crashes before persisting loses the entries, and the leader repairs it", () => {
    const net = new TestNetwork(ABC);
    net.campaign("a");
    net.raft("a").propose("x");
    net.flushReadies();
    for (const m of net.queue.filter((q) => q.to === "b")) net.deliver(m);
    expect(net.raft("b").status().lastIndex).toBe(2);
    net.queue = net.queue.filter((q) => q.to !== "b");
    net.restart("b");
    expect(net.raft("b").status().lastIndex).toBe(1);
    for (let i = 0; i < 12; i++) {
      net.tick("a");
      net.deliverUntilQuiet();
    }
    expect(net.raft("b").status()).toMatchObject({ lastIndex: 2, commitIndex: 2 });
    expect(net.applied.get("b")?.map((e) => e.data)).toEqual(["", "x"]);
  });

  it("commits over links that lose half their messages", () => {
    const net = new TestNetwork(ABC);
    net.campaign("a");
    for (const x of ABC) for (const y of ABC) if (x !== y) net.drop(x, y, 0.5);
    for (let i = 0; i < 20; i++) net.raft("a").propose(`v${i}`);
    const behind = () => ABC.some((id) => net.raft(id).status().commitIndex < 21);
    for (let i = 0; i < 200 && behind(); i++) {
      for (const id of ABC) net.tick(id);
      net.deliverUntilQuiet();
    }
    expect(net.leaders().length).toBe(1);
    for (const id of ABC) expect(net.raft(id).status().commitIndex).toBeGreaterThanOrEqual(21);
  });
});

describe("persistence rule", () => {
  function follower(term: number, entries: Entry[]): Raft {
    return new Raft(
      {
        id: "b",
        peers: ABC,
        electionTicks: 10,
        heartbeatTicks: 1,
        rng: seededRng(1),
        preVote: false,
        checkQuorum: false,
        maxInflightMsgs: 4,
        maxEntriesPerMsg: 8,
      },
      restored(term, entries),
    );
  }

  it("a vote in the current term changes the hard state", () => {
    const b = follower(1, []);
    b.step({ type: "vote", from: "a", to: "b", term: 1, lastLogIndex: 0, lastLogTerm: 0 });
    const rd = b.ready();
    expect(rd.hardState).toEqual({ term: 1, vote: "a", commit: 0 });
    expect(rd.messages).toEqual([{ type: "voteResp", from: "b", to: "a", term: 1, granted: true }]);
  });

  it("an ack of entries a newer leader truncated before the Ready is never sent", () => {
    const b = follower(1, log(1));
    b.step({ type: "append", from: "a", to: "b", term: 1, prevIndex: 1, prevTerm: 1, entries: log(1, 1, 1).slice(1), commit: 0 });
    // Before b hands out a Ready, c wins term 2 and overwrites indexes 2 and 3.
    b.step({ type: "append", from: "c", to: "b", term: 2, prevIndex: 1, prevTerm: 1, entries: log(1, 2).slice(1), commit: 0 });
    const rd = b.ready();
    expect(rd.entries.map((e) => `${e.index}:t${e.term}`)).toEqual(["2:t2"]);
    expect(trace(rd.messages)).toEqual(["b->c appendResp t2 ok index=2"]);
  });

  it("a follower commits no further than the append proved its log matches", () => {
    // b's index 3 is a stale entry of term 2; the leader's commit (3) covers its own 3:t3.
    const b = follower(3, log(1, 1, 2));
    b.step({ type: "append", from: "a", to: "b", term: 3, prevIndex: 1, prevTerm: 1, entries: log(1, 1).slice(1), commit: 3 });
    expect(b.status().commitIndex).toBe(2);
    b.step({ type: "heartbeat", from: "a", to: "b", term: 3, commit: 2, readRound: 0 });
    expect(b.ready().committed.map((e) => e.term)).toEqual([1, 1]);
  });
});

describe("Figure 8: an old-term entry on a majority is not committed by counting", () => {
  // Five nodes. s5 was leader in term 3 and appended 2:t3 alone; s1 (log 1:t1 2:t2) wins
  // term 4 and copies 2:t2 to a majority, but its own noop 3:t4 reaches no one.
  function setup(): TestNetwork {
    const ids = ["s1", "s2", "s3", "s4", "s5"];
    const net = new TestNetwork(
      ids,
      { preVote: false, checkQuorum: false, maxEntriesPerMsg: 1 },
      {
        s1: restored(3, log(1, 2)),
        s2: restored(3, log(1)),
        s3: restored(3, log(1)),
        s4: restored(3, log(1)),
        s5: restored(4, log(1, 3)),
      },
    );
    net.isolate("s5");
    // The noop is always the last entry of an append, so stripping it leaves a valid prefix.
    net.intercept = (m) => (m.type === "append" ? { ...m, entries: m.entries.filter((e) => e.type !== "noop") } : m);
    net.campaign("s1");
    return net;
  }

  it("does not commit 2:t2 held by s1, s2, s3, and s5 may then overwrite it", () => {
    const net = setup();
    expect(net.leaders()).toEqual(["s1"]);
    for (const id of ["s1", "s2", "s3"]) expect(terms(net, id).slice(0, 2)).toEqual([1, 2]);
    expect(net.raft("s1").status().commitIndex).toBe(0);
    // The danger the rule avoids: s5 (last term 3) can still win and replace index 2.
    net.recover();
    net.intercept = null;
    net.isolate("s1");
    net.campaign("s5");
    expect(net.raft("s5").status()).toMatchObject({ role: "leader", term: 5 });
    for (const id of ["s2", "s3", "s4"]) expect(terms(net, id)).toEqual([1, 3, 5]);
    for (const id of ["s2", "s3", "s4", "s5"]) expect(net.applied.get(id)?.map((e) => e.term)).toEqual([1, 3, 5]);
    expect(net.applied.get("s1")).toEqual([]);
  });

  it("commits 2:t2 together with 3:t4 once the current-term entry reaches a majority", () => {
    const net = setup();
    net.intercept = null;
    // The stripped appends left the streams stalled: the leader re-probes after an election timeout.
    for (let i = 0; i < 10; i++) {
      net.tick("s1");
      net.deliverUntilQuiet();
    }
    expect(net.raft("s1").status().commitIndex).toBe(3);
    expect(net.applied.get("s1")?.map((e) => e.term)).toEqual([1, 2, 4]);
  });
});

describe("pre-vote and check-quorum", () => {
  function isolateAndRejoin(preVote: boolean, checkQuorum: boolean): TestNetwork {
    const net = new TestNetwork(ABC, { preVote, checkQuorum });
    net.campaign("a");
    net.isolate("c");
    net.tick("c", 100);
    for (let i = 0; i < 3; i++) {
      net.raft("a").propose(`v${i}`);
      net.tick("a");
      net.tick("b");
      net.deliverUntilQuiet();
    }
    net.recover();
    // c rejoins: let it campaign while the others hear from their leader.
    for (let i = 0; i < 40; i++) {
      net.tick("c");
      net.tick("a");
      net.deliverUntilQuiet();
    }
    return net;
  }

  it("pre-vote keeps a rejoining isolated node from disrupting the leader", () => {
    const net = isolateAndRejoin(true, true);
    expect(net.raft("a").status()).toMatchObject({ role: "leader", term: 1 });
    expect(net.raft("c").status()).toMatchObject({ term: 1, leader: "a" });
    expect(net.raft("c").status().commitIndex).toBe(4);
  });

  it("without pre-vote the same rejoin deposes the leader (the test can fail)", () => {
    const net = isolateAndRejoin(false, false);
    expect(net.raft("a").status().term).toBeGreaterThan(1);
  });

  it("check-quorum makes an isolated leader step down", () => {
    const net = new TestNetwork(ABC);
    net.campaign("a");
    net.isolate("a");
    net.tick("a", 21);
    expect(net.raft("a").status()).toMatchObject({ role: "follower", term: 1, leader: null });
  });

  it("without check-quorum an isolated leader stays leader (the test can fail)", () => {
    const net = new TestNetwork(ABC, { checkQuorum: false });
    net.campaign("a");
    net.isolate("a");
    net.tick("a", 21);
    expect(net.raft("a").status().role).toBe("leader");
  });

  it("a follower that hears from its leader ignores vote requests (leader lease)", () => {
    const net = new TestNetwork(ABC, { preVote: false });
    net.campaign("a");
    net.raft("b").step({ type: "vote", from: "c", to: "b", term: 5, lastLogIndex: 9, lastLogTerm: 9 });
    net.flushReadies();
    expect(net.queue).toEqual([]);
    expect(net.raft("b").status()).toMatchObject({ term: 1, leader: "a" });
  });
});

describe("ReadIndex", () => {
  it("gives a ReadState only after a quorum answers a heartbeat", () => {
    const ids = ["a", "b", "c", "d", "e"];
    const net = new TestNetwork(ids);
    net.campaign("a");
    net.raft("a").propose("x");
    net.deliverUntilQuiet();
    for (const peer of ["c", "d", "e"]) net.cut("a", peer);
    net.raft("a").readIndex("r1");
    net.flushReadies();
    expect(net.queue.filter((m) => m.type === "heartbeat").length).toBe(4);
    net.deliverUntilQuiet();
    // a and b are two of five: not a quorum.
    expect(net.readStates.get("a")).toEqual([]);
    net.recover();
    net.cut("a", "d");
    net.cut("a", "e");
    net.tick("a");
    net.deliverUntilQuiet();
    expect(net.readStates.get("a")).toEqual([{ ctx: "r1", index: 2 }]);
  });

  it("withholds the read while the quorum round is unanswered", () => {
    const net = new TestNetwork(ABC);
    net.campaign("a");
    net.cut("a", "b");
    net.cut("a", "c");
    net.raft("a").readIndex("r1");
    net.deliverUntilQuiet();
    expect(net.readStates.get("a")).toEqual([]);
    net.recover();
    net.tick("a");
    net.deliverUntilQuiet();
    expect(net.readStates.get("a")).toEqual([{ ctx: "r1", index: 1 }]);
  });

  it("fails the read of a leader deposed before its quorum round", () => {
    const net = new TestNetwork(ABC);
    net.campaign("a");
    net.isolate("a");
    net.raft("a").readIndex("r1");
    net.deliverUntilQuiet();
    net.tick("a", 21);
    net.deliverUntilQuiet();
    expect(net.readStates.get("a")).toEqual([]);
    expect(net.readFailures.get("a")).toEqual([{ ctx: "r1", leader: null }]);
  });

  it("a single node answers reads itself, once its term has a committed entry", () => {
    const net = new TestNetwork(["a"]);
    net.tick("a", 20);
    const a = net.raft("a");
    expect(a.status()).toMatchObject({ role: "leader", commitIndex: 0 });
    a.readIndex("r1");
    net.flushReadies();
    expect(net.readStates.get("a")).toEqual([{ ctx: "r1", index: 1 }]);
    a.readIndex("r2");
    net.flushReadies();
    expect(net.readStates.get("a")).toEqual([
      { ctx: "r1", index: 1 },
      { ctx: "r2", index: 1 },
    ]);
  });

  it("fails a read on a follower, naming the leader", () => {
    const net = new TestNetwork(ABC);
    net.campaign("a");
    net.raft("b").readIndex("r1");
    net.flushReadies();
    expect(net.readFailures.get("b")).toEqual([{ ctx: "r1", leader: "a" }]);
  });

  it("waits until the new leader commits an entry of its term", () => {
    const net = new TestNetwork(ABC);
    net.intercept = (m) => (m.type === "appendResp" ? null : m);
    net.campaign("a");
    expect(net.raft("a").status()).toMatchObject({ role: "leader", commitIndex: 0 });
    net.raft("a").readIndex("r1");
    net.tick("a");
    net.deliverUntilQuiet();
    expect(net.readStates.get("a")).toEqual([]);
    net.intercept = null;
    net.tick("a");
    net.deliverUntilQuiet();
    expect(net.readStates.get("a")).toEqual([{ ctx: "r1", index: 1 }]);
  });
});
