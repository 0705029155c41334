import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeWith, etcdPart } from "../../test/support/real.js";
import { EtcdCluster } from "./cluster.js";
import { eventually, pidExists, tempRunDir } from "./test-support.js";

const etcd = await etcdPart();

describe("EtcdCluster without etcd", () => {
  it("says how to install it", async () => {
    const run = tempRunDir("etcd-missing");
    const cluster = new EtcdCluster({ dir: run.dir, binary: "etcd-not-installed-here" });
    await expect(cluster.start()).rejects.toThrow(/apt-get install etcd-server/);
    run.remove();
  });
});

describeWith([etcd], "EtcdCluster on loopback", () => {
  const run = tempRunDir("etcd");
  const cluster = new EtcdCluster({ dir: run.dir, nodes: 3, requestTimeoutMs: 2_000 });
  let startMs = 0;

  beforeAll(async () => {
    const began = performance.now();
    await cluster.start();
    startMs = performance.now() - began;
  });

  afterAll(async () => {
    await cluster.stop();
    run.remove();
  });

  it("starts three members with a leader, logs and data under the run folder", async () => {
    console.log(`etcd ${cluster.etcdVersion()} 3-node start: ${startMs.toFixed(0)} ms`);
    expect(cluster.nodes().map((n) => n.id)).toEqual(["n1", "n2", "n3"]);
    expect(await cluster.leader()).toMatch(/^n[123]$/);
    for (const id of ["n1", "n2", "n3"]) {
      expect(existsSync(join(run.dir, "nodes", `${id}.log`))).toBe(true);
      expect(existsSync(join(run.dir, "nodes", `${id}.etcd`))).toBe(true);
    }
  });

  it("puts, gets (both read kinds) and compares-and-sets", async () => {
    const client = cluster.client("n1");
    const follower = cluster.client("n2");
    expect(await client.get("absent")).toEqual({ type: "ok", value: null });
    expect((await client.put("k", "v1")).type).toBe("ok");
    expect(await follower.get("k")).toEqual({ type: "ok", value: "v1" });
    expect(await follower.get("k", "serializable")).toMatchObject({ type: "ok" });
    expect(await client.cas("k", "v1", "v2")).toEqual({ type: "ok", value: { ok: true } });
    expect(await client.cas("k", "v1", "v3")).toEqual({ type: "ok", value: { ok: false, value: "v2" } });
    expect(await client.cas("new", null, "a")).toEqual({ type: "ok", value: { ok: true } });
    expect(await client.cas("new", null, "b")).toEqual({ type: "ok", value: { ok: false, value: "a" } });
    expect(await client.cas("never", "x", "y")).toEqual({ type: "ok", value: { ok: false, value: null } });
    const status = await client.status!();
    expect(status).toMatchObject({ type: "ok", value: { id: "n1", leader: await cluster.leader() } });
    expect(client.broadcast).toBeUndefined();

    const latenciesMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const began = performance.now();
      expect((await client.put(`lat${i}`, "x".repeat(100))).type).toBe("ok");
      latenciesMs.push(performance.now() - began);
    }
    latenciesMs.sort((a, b) => a - b);
    console.log(`etcd put latency over 20 sequential puts: p50 ${latenciesMs[10]!.toFixed(1)} ms, max ${latenciesMs[19]!.toFixed(1)} ms`);
  });

  it("keeps serving while a node is killed, and the restarted node has the data", async () => {
    const victim = (await cluster.leader())!;
    const pid = cluster.nodes().find((n) => n.id === victim)!.pid!;
    const killedAt = performance.now();
    await cluster.kill(victim);
    expect(pidExists(pid)).toBe(false);
    expect(cluster.nodes().find((n) => n.id === victim)!.pid).toBeNull();
    const survivor = cluster.client(["n1", "n2", "n3"].find((n) => n !== victim)!);
    // A new election takes about one election timeout; writes fail or time out until then.
    await eventually(10_000, async () => ((await survivor.put("during", "kill")).type === "ok" ? true : null));
    console.log(`leader ${victim} SIGKILLed: first acknowledged put after ${(performance.now() - killedAt).toFixed(0)} ms`);
    await cluster.restart(victim);
    const back = cluster.client(victim);
    const value = await eventually(10_000, async () => {
      const read = await back.get("during");
      return read.type === "ok" ? read.value : null;
    });
    expect(value).toBe("kill");
    expect(await back.get("k")).toEqual({ type: "ok", value: "v2" });
  });

  it("a paused node stops answering and answers again once resumed", async () => {
    const leader = (await cluster.leader())!;
    const follower = ["n1", "n2", "n3"].find((n) => n !== leader)!;
    await cluster.pause(follower);
    const paused = await cluster.client(follower).get("k");
    expect(paused.type).toBe("fail");
    expect((await cluster.client(leader).put("while", "paused")).type).toBe("ok");
    await cluster.resume(follower);
    const read = await eventually(10_000, async () => {
      const r = await cluster.client(follower).get("while");
      return r.type === "ok" ? r.value : null;
    });
    expect(read).toBe("paused");
  });

  it("stop ends every process it started and is idempotent", async () => {
    const pids = cluster.nodes().map((n) => n.pid!);
    expect(pids.every(pidExists)).toBe(true);
    await cluster.stop();
    await cluster.stop();
    expect(pids.some(pidExists)).toBe(false);
    expect(cluster.nodes().every((n) => n.pid === null)).toBe(true);
  });
});
