/**
 * End to end: the built `tob run` against a real 3-node raft cluster, short
 * runs with faults. Each workload must come out valid; each injected bug must
 * be caught; and no run may leave a process behind.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { etcdPart, itWith } from "../support/real.js";
import { latestResults, processesMentioning, removeOutputs, tobRun } from "./support.js";

const etcd = await etcdPart();
const SHORT = ["--time", "4", "--recovery", "2", "--rate", "100", "--concurrency", "4", "--nemesis-interval", "1.5", "--nemesis-duration", "1", "--seed", "11"];

describe("tob run, end to end", () => {
  afterAll(removeOutputs);

  for (const [workload, nemesis] of [
    ["register", "kill,partition"],
    ["kv", "pause,partition-halves"],
    ["broadcast", "kill,partition-leader"],
    ["lock", "kill,pause"],
    ["unique", "partition,kill-leader"],
    ["list-append", "kill,one-way"],
    ["failover", "kill-leader"],
  ] as const) {
    it(`${workload} under ${nemesis} is valid, writes the run folder, leaves nothing behind`, async () => {
      const r = await tobRun(["--workload", workload, "--nemesis", nemesis, ...SHORT]);
      expect(r.stdout, r.stderr).toContain("verdict: VALID");
      expect(r.exitCode).toBe(0);
      const dir = join(r.out, "latest");
      for (const f of ["test.json", "history.jsonl", "results.json", "summary.md", "report.html"]) expect(existsSync(join(dir, f)), f).toBe(true);
      expect(readdirSync(join(dir, "nodes")).sort()).toEqual(["n1.log", "n2.log", "n3.log"]);
      const history = readFileSync(join(dir, "history.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
      expect(history.some((op) => op.process === "nemesis")).toBe(true);
      expect(history.filter((op) => op.type === "ok").length).toBeGreaterThan(20);
      expect(await processesMentioning(r.out)).toEqual([]);
    });
  }

  // A short op timeout frees the isolated node's clients from writes stuck on
  // it, so they go on reading there while the majority moves on.
  it("--bug stale-reads (under leader partitions, its faults) is caught: invalid, exit 1", async () => {
    const r = await tobRun(["--workload", "register", "--bug", "stale-reads", "--time", "8", "--recovery", "1", "--rate", "150", "--concurrency", "6", "--nemesis-interval", "1.6", "--nemesis-duration", "1.2", "--op-timeout", "1000", "--seed", "3"]);
    expect(r.stdout, r.stderr).toContain("verdict: INVALID");
    expect(r.exitCode).toBe(1);
    const lin = latestResults(r.out).results["linearizability(register)"] as { valid: unknown; files?: string[] };
    expect(lin.valid).toBe(false);
    // The counterexample is drawn beside the results, and the report links to it.
    expect(lin.files).toEqual(["timeline.html"]);
    expect(readFileSync(join(r.out, "latest", "timeline.html"), "utf8")).toContain("<html");
    expect(readFileSync(join(r.out, "latest", "report.html"), "utf8")).toContain('href="timeline.html"');
    expect(await processesMentioning(r.out)).toEqual([]);
  });

  // Both bug runs take the bug's own faults (no --nemesis). For this one that is
  // delay+kill-leader: on loopback followers get a leader's entries within a
  // millisecond, so a bare kill rarely lands between the early ack and the
  // replication; links slowed by 40 ms widen that window.
  it("--bug ack-before-quorum (under leader kills on slowed links, its faults) is caught: invalid, exit 1", async () => {
    const r = await tobRun(["--workload", "register", "--bug", "ack-before-quorum", "--time", "12", "--recovery", "1", "--rate", "200", "--concurrency", "8", "--nemesis-interval", "2", "--nemesis-duration", "1.2", "--seed", "1"]);
    expect(r.stdout, r.stderr).toContain("verdict: INVALID");
    expect(r.stdout).toContain("nemesis delay+kill-leader");
    expect(r.exitCode).toBe(1);
    expect(latestResults(r.out).results["linearizability(register)"]?.valid).toBe(false);
    expect(await processesMentioning(r.out)).toEqual([]);
  });

  // Also delay+kill-leader: the two survivors campaign at once (each times out
  // before the other's vote request arrives, over the slowed links), the double
  // vote elects both, and the restarted node acknowledges both leaders' writes.
  it("--bug no-term-check (under leader kills on slowed links, its faults) is caught: invalid, exit 1", async () => {
    const r = await tobRun(["--workload", "register", "--bug", "no-term-check", "--time", "10", "--recovery", "1", "--rate", "200", "--concurrency", "8", "--nemesis-interval", "2", "--nemesis-duration", "1.2", "--seed", "1"]);
    expect(r.stdout, r.stderr).toContain("verdict: INVALID");
    expect(r.stdout).toContain("nemesis delay+kill-leader");
    expect(r.exitCode).toBe(1);
    expect(latestResults(r.out).results["linearizability(register)"]).toMatchObject({ valid: false, "anomaly-types": ["nonlinearizable"] });
    expect(await processesMentioning(r.out)).toEqual([]);
  });

  itWith([etcd], "--cluster etcd (Debian's etcd-server) under kill and pause is valid", async () => {
    const r = await tobRun(["--cluster", "etcd", "--workload", "register", "--nemesis", "kill,pause", ...SHORT]);
    expect(r.stdout, r.stderr).toContain("verdict: VALID");
    expect(r.exitCode).toBe(0);
    expect(await processesMentioning(r.out)).toEqual([]);
  });

  it("bad input is a usage error naming the valid choices, exit 2", async () => {
    const workload = await tobRun(["--workload", "nope"]);
    expect(workload.exitCode).toBe(2);
    expect(workload.stderr).toMatch(/register.*kv.*broadcast/);
    const nemesis = await tobRun(["--nemesis", "kill,meteor", "--time", "1"]);
    expect(nemesis.exitCode).toBe(2);
    expect(nemesis.stderr).toContain("meteor");
    expect(nemesis.stderr).toContain("partition-leader");
    const flag = await tobRun(["--frobnicate"]);
    expect(flag.exitCode).toBe(2);
    expect(flag.stderr).toContain("frobnicate");
  });
});
