import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Outcome } from "../cluster.js";
import { RaftCluster } from "./adapter.js";

// A real 3-node cluster from dist/: run `npx tsc -p .` first.

const dir = mkdtempSync(join(tmpdir(), "tob-sessions-"));
const cluster = new RaftCluster({ dir, nodes: 3, requestTimeoutMs: 4000 });

afterAll(async () => {
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("exactly-once writes under kill-leader", () => {
  it("resends unknown writes under a session; each broadcast is delivered at most once, every acknowledged one exactly once", async () => {
    await cluster.start();
    const ids = cluster.nodes().map((n) => n.id);
    const outcomes: Array<{ message: string; out: Outcome<{ seq: number }> }> = [];
    const stopAtMs = Date.now() + 9000;
    // Three sequential writers, one per node; the leader is killed and brought back twice.
    const writers = ids.map(async (id, w) => {
      const client = cluster.client(id);
      for (let i = 0; Date.now() < stopAtMs && i < 2000; i++) {
        const message = `w${w}-${i}`;
        outcomes.push({ message, out: await client.broadcast!(message) });
      }
    });
    const nemesis = (async () => {
      for (let round = 0; round < 2; round++) {
        await new Promise((r) => setTimeout(r, 1500));
        const leader = await cluster.leader();
        if (leader === null) continue;
        await cluster.kill(leader);
        await new Promise((r) => setTimeout(r, 1500));
        await cluster.restart(leader);
      }
    })();
    await Promise.all([...writers, nemesis]);

    // Read the final order from the leader once everything settled.
    const deadline = Date.now() + 15_000;
    let delivered: string[] = [];
    for (;;) {
      const leader = await cluster.leader();
      const read = leader === null ? null : await cluster.client(leader).deliveries!(1, 10_000);
      if (read?.type === "ok") {
        delivered = read.value.deliveries.map((d) => d.message);
        break;
      }
      if (Date.now() > deadline) throw new Error("no final read");
      await new Promise((r) => setTimeout(r, 200));
    }
    const counts = new Map<string, number>();
    for (const m of delivered) counts.set(m, (counts.get(m) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    const acked = outcomes.filter((o) => o.out.type === "ok");
    expect(acked.length).toBeGreaterThan(50);
    for (const o of acked) expect(counts.get(o.message), o.message).toBe(1);
    for (const o of outcomes.filter((x) => x.out.type === "fail"))
      expect(counts.has(o.message), `${o.message} failed yet delivered`).toBe(false);
    const resent = outcomes.filter((o) => (o.out.retries ?? 0) > 0);
    expect(resent.length, "no write was resent: the kills did not leave any outcome unknown").toBeGreaterThan(0);
  }, 60_000);
});
