/**
 * Every fault kind against a real 3-node raft cluster whose peer links run
 * through the proxy mesh, each observed to take effect: a killed process is
 * gone, then back; a paused one stops answering; an isolated node stops being
 * leader; a delayed link slows commits. Then nothing is left running.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cluster } from "../../clusters/cluster.js";
import { RaftCluster } from "../../clusters/raft/adapter.js";
import { RunClock } from "../controller/clock.js";
import { Recorder } from "../controller/recorder.js";
import { Nemesis } from "./nemesis.js";
import { ProxyMesh } from "./proxy/mesh.js";
import type { PlannedFault } from "./schedule.js";

const IDS = ["n1", "n2", "n3"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("nemesis against a real raft cluster", () => {
  const dir = mkdtempSync(join(tmpdir(), "tob-nemesis-"));
  let mesh: ProxyMesh;
  let cluster: Cluster;
  let faultNo = 0;

  beforeAll(async () => {
    let c: Cluster | null = null;
    mesh = await ProxyMesh.open(IDS, (id) => c?.nodes().find((n) => n.id === id)?.peerAddr ?? null);
    cluster = c = new RaftCluster({ dir, nodes: 3, wiring: { backend: "proxy", dial: (id: string) => mesh.dialAddrs(id) } });
    await cluster.start();
  });

  afterAll(async () => {
    await cluster?.stop();
    await mesh?.close();
    for (const n of cluster?.nodes() ?? []) expect(n.pid === null || !alive(n.pid)).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });

  function alive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  async function leader(): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const l = await cluster.leader?.();
      if (l) return l;
      await sleep(100);
    }
    throw new Error("no leader within 10 s");
  }

  /** Whom `node` takes for leader now (null: none, or no answer). */
  async function viewOf(node: string): Promise<{ role: string; leader: string | null } | null> {
    const s = await cluster.client(node).status?.();
    return s?.type === "ok" ? { role: s.value.role, leader: s.value.leader } : null;
  }

  async function eventually(what: string, cond: () => Promise<boolean>, withinMs = 6_000): Promise<void> {
    const until = Date.now() + withinMs;
    while (Date.now() < until) {
      if (await cond()) return;
      await sleep(100);
    }
    throw new Error(`not within ${withinMs} ms: ${what}`);
  }

  /** Runs one fault from now for `seconds`, calls `during` mid-way, and returns the history it recorded. */
  async function fault(name: string, order: string[], seconds: number, during: () => Promise<void>, variant?: string) {
    const clock = new RunClock();
    const recorder = new Recorder(join(dir, `history-${faultNo++}.jsonl`), clock);
    const nemesis = new Nemesis({ cluster, network: mesh, recorder, clock });
    const plan: PlannedFault[] = [{ name, startS: 0, endS: seconds, order, ...(variant ? { variant } : {}) }];
    const running = nemesis.run(plan);
    await sleep(200);
    await during();
    await running;
    await nemesis.healAll();
    recorder.close();
    const ops = recorder.history();
    expect(ops.every((op) => op.process === "nemesis" && (op.type === "invoke" || op.type === "info"))).toBe(true);
    expect(ops.filter((op) => op.error)).toEqual([]);
    await leader();
    return ops;
  }

  const writeOk = async (node: string) => (await cluster.client(node).put("probe", String(Date.now()))).type === "ok";

  it("kill: the process is gone, then back with a new pid", async () => {
    const pidOf = (id: string) => cluster.nodes().find((n) => n.id === id)?.pid ?? null;
    const before = pidOf("n2") as number;
    const ops = await fault("kill", ["n2", "n1", "n3"], 1.5, async () => {
      expect(alive(before)).toBe(false);
      expect(await viewOf("n2")).toBeNull();
    });
    expect(ops.map((o) => o.f)).toEqual(["kill", "kill", "restart", "restart"]);
    await eventually("n2 answers again", async () => (await viewOf("n2")) !== null);
    expect(alive(pidOf("n2") as number)).toBe(true);
  });

  it("kill-leader: the leader dies and another is elected", async () => {
    const old = await leader();
    await fault("kill-leader", IDS, 2, async () => {
      const other = IDS.find((n) => n !== old) as string;
      await eventually("a new leader", async () => {
        const v = await viewOf(other);
        return v !== null && v.leader !== null && v.leader !== old;
      });
    });
  });

  it("pause: a stopped process answers nothing until continued", async () => {
    await fault("pause", ["n3", "n1", "n2"], 1.5, async () => {
      const pid = cluster.nodes().find((n) => n.id === "n3")?.pid as number;
      expect(readFileSync(`/proc/${pid}/stat`, "utf8").split(" ")[2]).toBe("T");
    });
    await eventually("n3 answers again", async () => (await viewOf("n3")) !== null);
  });

  it("pause-leader, pause-minority, kill-minority: the chosen processes stop or die, then come back", async () => {
    const pidOf = (id: string) => cluster.nodes().find((n) => n.id === id)?.pid ?? null;
    const state = (pid: number) => readFileSync(`/proc/${pid}/stat`, "utf8").split(" ")[2];
    const l = await leader();
    await fault("pause-leader", IDS, 1.5, async () => {
      expect(state(pidOf(l) as number)).toBe("T");
    });
    const ops = await fault("pause-minority", ["n2", "n3", "n1"], 1, async () => {
      expect(state(pidOf("n2") as number)).toBe("T");
      expect(state(pidOf("n3") as number)).not.toBe("T");
    });
    expect(ops[0]).toMatchObject({ f: "pause", value: { nodes: ["n2"] } });
    const before = pidOf("n1") as number;
    await fault("kill-minority", ["n1", "n2", "n3"], 1, async () => {
      expect(alive(before)).toBe(false);
    });
    await eventually("n1 back", async () => (await viewOf("n1")) !== null);
  });

  it("partition-leader: the isolated leader stops being leader; the majority elects another and commits", async () => {
    const old = await leader();
    await fault("partition-leader", IDS, 3, async () => {
      const others = IDS.filter((n) => n !== old);
      await eventually("the majority has another leader", async () => {
        const v = await viewOf(others[0] as string);
        return v !== null && v.leader !== null && v.leader !== old;
      });
      await eventually("the old leader steps down", async () => (await viewOf(old))?.role !== "leader");
      await eventually("the majority commits", () => writeOk(others[0] as string));
    });
  });

  it("partition-one and partition-halves: the cut-off node cannot commit and is not leader", async () => {
    for (const name of ["partition-one", "partition-halves"]) {
      const l = await leader();
      const lone = IDS.find((n) => n !== l) as string;
      await fault(name, [lone, ...IDS.filter((n) => n !== lone)], 2.5, async () => {
        await eventually("the cut-off node is not leader", async () => (await viewOf(lone))?.role !== "leader");
        await eventually("the others commit", () => writeOk(l));
        await sleep(500);
        const stale = await cluster.client(lone).get("probe", "local");
        const fresh = await cluster.client(l).get("probe", "local");
        expect(stale).not.toEqual(fresh);
      });
    }
  });

  it("partition-bridge: with the leader as the bridge both ends still hear it, so it stays leader and commits", async () => {
    const l = await leader();
    // The leader as the bridge: both ends still hear it, so it stays leader and commits.
    await fault("partition-bridge", [l, ...IDS.filter((n) => n !== l)], 2, async () => {
      expect(await writeOk(l)).toBe(true);
      expect((await viewOf(l))?.role).toBe("leader");
    });
  });

  it("partition-ring (with 3 nodes each hears both others: nothing cut) and partition (a drawn shape) apply and heal", async () => {
    await fault("partition-ring", IDS, 1, async () => {
      expect(await leader()).toBeTruthy();
    });
    const ops = await fault("partition", IDS, 1, async () => {}, "halves");
    expect(ops[0]).toMatchObject({ f: "start-partition", value: { shape: "halves" } });
  });

  it("one-way: a leader that cannot send loses leadership", async () => {
    const old = await leader();
    await fault(
      "one-way",
      [old, ...IDS.filter((n) => n !== old)],
      3,
      async () => {
        const other = IDS.find((n) => n !== old) as string;
        await eventually("another leader", async () => {
          const v = await viewOf(other);
          return v !== null && v.leader !== null && v.leader !== old;
        });
      },
      "mute",
    );
  });

  it("delay: commits take at least a round trip of the added delay", async () => {
    const l = await leader();
    await fault("delay", IDS, 3, async () => {
      await sleep(300);
      const t0 = Date.now();
      expect(await writeOk(l)).toBe(true);
      // A commit needs the leader's entry out and the follower's ack back: 2 x 40 ms.
      expect(Date.now() - t0).toBeGreaterThanOrEqual(75);
    });
    const t0 = Date.now();
    await eventually("fast commits again", async () => (await writeOk(l)) && Date.now() - t0 < 10_000);
  });
});
