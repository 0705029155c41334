import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ClusterClient, Outcome } from "../cluster.js";
import { RaftCluster } from "./adapter.js";

// A real 3-node cluster from dist/: run `npx tsc -p .` first.

const dir = mkdtempSync(join(tmpdir(), "tob-raft-"));
const cluster = new RaftCluster({ dir: join(dir, "plain"), nodes: 3 });
const buggy = new RaftCluster({ dir: join(dir, "buggy"), nodes: 3, nodeArgs: ["--bug", "ack-before-quorum", "--bug", "stale-reads"] });
const pidsSeen = new Set<number>();

afterAll(async () => {
  await cluster.stop();
  await buggy.stop();
  for (const pid of pidsSeen) expect(() => process.kill(pid, 0), `pid ${pid} still alive`).toThrow();
  rmSync(dir, { recursive: true, force: true });
});

function notePids(c: RaftCluster = cluster): void {
  for (const n of c.nodes()) if (n.pid) pidsSeen.add(n.pid);
}

/** Retries a call that certainly did not happen (fail) until it is ok; an info ends the retries. */
async function retry<T>(call: () => Promise<Outcome<T>>, deadlineMs: number): Promise<Outcome<T>> {
  for (;;) {
    const out = await call();
    if (out.type !== "fail" || Date.now() > deadlineMs) return out;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("RaftCluster, a real 3-node cluster", () => {
  it("keeps every acknowledged write and broadcast, in one order, across a leader crash", async () => {
    await cluster.start();
    notePids();
    const ids = cluster.nodes().map((n) => n.id);
    const clients = new Map<string, ClusterClient>(ids.map((id) => [id, cluster.client(id)]));
    const acked = new Map<string, string>();
    const broadcasts = new Map<number, string>(); // seq → message

    async function writeBatch(via: string[], tag: string, count: number): Promise<void> {
      await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const c = clients.get(via[i % via.length]!)!;
          const deadline = Date.now() + 10_000;
          const put = await retry(() => c.put(`${tag}-${i}`, `v-${tag}-${i}`), deadline);
          if (put.type === "ok") acked.set(`${tag}-${i}`, `v-${tag}-${i}`);
          const b = await retry(() => c.broadcast!(`m-${tag}-${i}`), deadline);
          if (b.type === "ok") broadcasts.set(b.value.seq, `m-${tag}-${i}`);
        }),
      );
    }

    // Through every node: followers forward to the leader.
    await writeBatch(ids, "before", 30);
    expect(acked.size).toBe(30);
    expect(broadcasts.size).toBe(30);

    const oldLeader = (await cluster.leader())!;
    expect(oldLeader).not.toBeNull();
    await cluster.kill(oldLeader);
    const survivors = ids.filter((id) => id !== oldLeader);

    const killedAt = Date.now();
    const first = await retry(() => clients.get(survivors[0]!)!.put("after-kill", "x"), killedAt + 10_000);
    expect(first.type).toBe("ok");
    acked.set("after-kill", "x");
    const newLeader = await cluster.leader();
    expect(newLeader).not.toBeNull();
    expect(newLeader).not.toBe(oldLeader);

    await writeBatch(survivors, "during", 30);
    await cluster.restart(oldLeader);
    notePids();
    await writeBatch(ids, "after", 30);

    // Wait until every node applied everything the leader committed.
    const deadline = Date.now() + 15_000;
    let statuses: { appliedIndex: number; commitIndex: number }[] = [];
    while (Date.now() < deadline) {
      statuses = [];
      for (const c of clients.values()) {
        const s = await c.status!();
        if (s.type === "ok") statuses.push(s.value);
      }
      const applied = new Set(statuses.map((s) => s.appliedIndex));
      if (statuses.length === 3 && applied.size === 1 && statuses.every((s) => s.appliedIndex === s.commitIndex)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(new Set(statuses.map((s) => s.appliedIndex)).size).toBe(1);

    const orders: string[][] = [];
    for (const [id, c] of clients) {
      for (const [key, value] of acked) {
        const got = await c.get(key, "local");
        expect(got, `${key} on ${id}`).toEqual({ type: "ok", value });
      }
      const d = await c.deliveries!(1, 10_000);
      if (d.type !== "ok") throw new Error(`deliveries on ${id}: ${d.error}`);
      d.value.deliveries.forEach((x, i) => expect(x.seq).toBe(i + 1));
      for (const [seq, message] of broadcasts) expect(d.value.deliveries[seq - 1]?.message, `seq ${seq} on ${id}`).toBe(message);
      orders.push(d.value.deliveries.map((x) => x.message));
    }
    expect(orders[1]).toEqual(orders[0]);
    expect(orders[2]).toEqual(orders[0]);
  });

  it("has bug switches: acks before a quorum, and stale linearizable reads", async () => {
    await buggy.start();
    notePids(buggy);
    const leader = (await buggy.leader())!;
    const followers = buggy
      .nodes()
      .map((n) => n.id)
      .filter((id) => id !== leader);
    const toLeader = buggy.client(leader);
    expect((await toLeader.put("k", "old")).type).toBe("ok");

    // No follower can answer, so no quorum: only the bug acknowledges the write.
    for (const f of followers) await buggy.pause(f);
    expect(await toLeader.put("k", "unreplicated")).toMatchObject({ type: "ok" });
    for (const f of followers) await buggy.resume(f);

    // With the leader paused, a follower still answers a "linearizable" read from its own state.
    await buggy.pause(leader);
    const read = await buggy.client(followers[0]!).get("k");
    expect(read.type).toBe("ok");
    await buggy.resume(leader);
  });
});
