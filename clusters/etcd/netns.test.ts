import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWith, etcdPart, netnsPart } from "../../test/support/real.js";
import { NetnsNetwork } from "../../src/nemesis/netns/network.js";
import { EtcdCluster } from "./cluster.js";
import { eventually, pidExists, tempRunDir } from "./test-support.js";

const parts = [await etcdPart(), await netnsPart()];

describeWith(parts, "EtcdCluster in network namespaces", () => {
  const hosts = ["n1", "n2", "n3"];
  const run = tempRunDir("etcd-netns");
  const network = new NetnsNetwork({ hosts, prefix: "tobe" });
  const cluster = new EtcdCluster({ dir: run.dir, network, requestTimeoutMs: 2_000 });

  beforeAll(async () => {
    await network.setup();
    await cluster.start();
  });

  afterAll(async () => {
    await cluster.stop();
    await network.teardown();
    run.remove();
  });

  it("each member listens on its own host's address", () => {
    for (const node of cluster.nodes()) expect(node.httpUrl).toBe(`http://${network.address(node.id)}:2379`);
  });

  it("isolating the leader elects a new one in the majority, which keeps serving; heal rejoins", async () => {
    const client = cluster.client("n1");
    expect((await client.put("before", "1")).type).toBe("ok");
    const old = (await cluster.leader())!;
    const majority = hosts.filter((h) => h !== old);
    const began = performance.now();
    await network.partition([[old], majority]);
    const next = await eventually(15_000, async () => {
      const leader = await cluster.leader();
      return leader !== null && leader !== old ? leader : null;
    });
    console.log(`leader ${old} isolated; ${next} leads after ${(performance.now() - began).toFixed(0)} ms`);
    expect(majority).toContain(next);
    const majorityClient = cluster.client(next);
    expect((await majorityClient.put("during", "2")).type).toBe("ok");
    // The isolated member cannot reach a quorum: a linearizable read there fails.
    expect((await cluster.client(old).get("during")).type).toBe("fail");
    await network.heal();
    const caughtUp = await eventually(15_000, async () => {
      const read = await cluster.client(old).get("during");
      return read.type === "ok" ? read.value : null;
    });
    expect(caughtUp).toBe("2");
  });

  it("stop leaves no etcd process inside the namespaces", async () => {
    const pids = cluster.nodes().map((n) => n.pid!);
    await cluster.stop();
    expect(pids.some(pidExists)).toBe(false);
  });
});
