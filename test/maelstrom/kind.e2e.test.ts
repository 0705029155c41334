/**
 * Maelstrom nodes as a registered kind: `tob run --cluster maelstrom` drives
 * our register workload through lin-kv's RPCs, with real kills; a node with
 * stale cached reads is caught; without --node-cmd it is a usage error.
 */
import { afterAll, describe, expect, it } from "vitest";
import { latestResults, removeOutputs, tobRun } from "../run/support.js";
import { JS } from "./support.js";

afterAll(removeOutputs);

const base = ["--cluster", "maelstrom", "--workload", "register", "--time", "3", "--recovery", "1", "--rate", "50", "--seed", "3"];

describe.concurrent("tob run --cluster maelstrom", () => {
  it("a lin-kv proxy under kills is linearizable", async () => {
    const r = await tobRun([...base, "--nemesis", "kill", "--node-cmd", `${process.execPath} ${JS}/lin-kv-proxy.js`]);
    expect(r.stdout).toContain("register on maelstrom");
    expect(latestResults(r.out).results["linearizability(register)"]?.valid).toBe(true);
  });

  it("a node answering reads from its cache is caught", async () => {
    const r = await tobRun([...base, "--nemesis", "none", "--node-cmd", `${process.execPath} ${JS}/lin-kv-cache.js`]);
    expect(r.exitCode).toBe(1);
    expect(latestResults(r.out).results["linearizability(register)"]?.valid).toBe(false);
  });

  it("needs --node-cmd", async () => {
    const r = await tobRun([...base, "--nemesis", "none"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("--cluster maelstrom needs --node-cmd");
  });
});
