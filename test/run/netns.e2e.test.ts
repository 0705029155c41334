/**
 * The network-namespace backend end to end (root only; skipped elsewhere with
 * the reason): our raft cluster, each node in its own namespace, under
 * partitions stays valid, and no namespace (with its nftables table) is left.
 */
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { NetnsNetwork } from "../../src/nemesis/netns/network.js";
import { processesMentioning, removeOutputs, tobRun } from "./support.js";

const netns = await NetnsNetwork.available();

async function namespaces(): Promise<string> {
  return String((await execa("ip", ["netns", "list"], { reject: false })).stdout);
}

describe.skipIf(!netns.ok)(`tob run --net netns${netns.ok ? "" : ` (skipped: ${netns.reason})`}`, () => {
  afterAll(removeOutputs);

  it("raft under kill and partitions is valid, and leaves no namespace or process", async () => {
    const before = await namespaces();
    const r = await tobRun(["--net", "netns", "--workload", "register", "--nemesis", "partition,kill", "--time", "4", "--recovery", "1", "--nemesis-interval", "1.5", "--nemesis-duration", "1", "--seed", "2"]);
    expect(r.stdout, r.stderr).toContain("verdict: VALID");
    expect(r.exitCode).toBe(0);
    expect(await namespaces()).toBe(before);
    expect(await processesMentioning(r.out)).toEqual([]);
  });
});
