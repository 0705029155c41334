/**
 * The faults are real: a partition drops messages in the router (its counters
 * say so) and is in the history; a kill is a SIGKILL of the node's process,
 * which comes back empty after a fresh init; a node that dies by itself is
 * recorded as a fault and the run still ends with a verdict.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeReports } from "../../src/report/index.js";
import { processesMentioning, removeOutputs } from "../run/support.js";
import { FIXTURES, historyOf, JS, nodeCmd, run, spec } from "./support.js";

afterAll(removeOutputs);

describe.concurrent("faults through the router", () => {
  it("partitions drop inter-node messages, in the history and the message counters", async () => {
    const { runDir, results } = await run(
      spec("broadcast", {
        ...nodeCmd(`${JS}/broadcast.js`),
        nodes: 5,
        time: 4,
        latencyMs: 5,
        nemesis: ["partition-halves"],
        nemesisIntervalS: 1.5,
        nemesisDurationS: 1,
      }),
    );
    const history = await historyOf(runDir);
    const faults = history.filter((op) => op.process === "nemesis" && op.type === "info").map((op) => op.f);
    expect(faults).toContain("start-partition");
    expect(faults).toContain("stop-partition");
    const net = results.results.net as Record<string, number>;
    expect(net.dropped, JSON.stringify(history.filter((op) => op.process === "nemesis"))).toBeGreaterThan(0);
    expect(net.servers).toBeGreaterThan(0);
    expect(net["servers-msgs-per-op"]).toBeGreaterThan(0);
    const perSecond = results.results.net?.["per-second"] as Record<string, number>[];
    expect(perSecond.length).toBeGreaterThanOrEqual(4);
    expect(perSecond.some((s) => (s.dropped ?? 0) > 0)).toBe(true);
    // Plotted in the report: the router's rates over the faults' bands.
    const report = readFileSync((await writeReports(runDir)).reportHtml, "utf8");
    const chart = report.slice(report.indexOf('<section class="card" id="messages">'));
    expect(chart).toMatch(/^<section class="card" id="messages">/);
    expect(chart).toContain("<polyline");
    expect(chart).toMatch(/<rect [^>]*><title>partition/);
    expect(results.valid).toBe(true);
  });

  it("a kill is a SIGKILL, and the node comes back empty after a fresh init", async () => {
    const { runDir, results } = await run(
      spec("broadcast", {
        ...nodeCmd(`${JS}/broadcast.js`),
        nodes: 3,
        time: 3,
        nemesis: ["kill"],
        nemesisIntervalS: 1.5,
        nemesisDurationS: 0.5,
      }),
    );
    const history = await historyOf(runDir);
    const faults = history.filter((op) => op.process === "nemesis" && op.type === "info").map((op) => op.f);
    expect(faults).toContain("kill");
    expect(faults).toContain("restart");
    const killed = (history.find((op) => op.f === "kill" && op.type === "info")!.value as { nodes: string[] }).nodes[0] as string;
    const log = readFileSync(join(runDir, "nodes", `${killed}.log`), "utf8");
    expect(log).toContain("process exited (signal SIGKILL)");
    // Two processes, each initialised: the restarted one was sent init again.
    expect(log.match(/\[tob\] init_ok from pid \d+/g)?.length).toBe(2);
    expect(results.valid).toBe(true);
    expect((await processesMentioning(runDir)).length).toBe(0);
  });

  it("a node that crashes mid-run is a fault in the history; the run ends with a verdict", async () => {
    const { runDir, results } = await run(
      spec("echo", { bin: process.execPath, args: [`${FIXTURES}/bad-node.js`, "crash"], nodes: 2, time: 2, rate: 40, opTimeoutMs: 500 }),
    );
    const crashes = (await historyOf(runDir)).filter((op) => op.process === "nemesis" && op.f === "crash");
    expect(crashes.length).toBeGreaterThanOrEqual(2); // invoke and info, per crashed node
    expect(crashes[0]?.value).toMatchObject({ how: "exited with code 3" });
    expect(results.stats.faults).toBeGreaterThanOrEqual(1);
    expect(results.stats.info).toBeGreaterThan(0); // requests to the dead node: unknown outcome
    expect(results.valid).toBe(true); // echo's replies before the crash were right
  });

  it("a bad message during a run is counted and shown, and the run goes on", async () => {
    const { runDir, results } = await run(
      spec("echo", { bin: process.execPath, args: [`${FIXTURES}/bad-node.js`, "garbage"], nodes: 2, time: 2, rate: 40 }),
    );
    const net = results.results.net as Record<string, unknown>;
    expect(net.bad as number).toBeGreaterThanOrEqual(2);
    const bad = net["bad-messages"] as { node: string; reason: string; line: string }[];
    expect(bad.some((b) => b.reason.includes("not JSON") && b.line.includes("oops"))).toBe(true);
    expect(bad.some((b) => b.reason.includes("in_reply_to 1000000"))).toBe(true);
    expect(net.valid).toBe(false);
    expect(results.results.echo?.valid).toBe(true);
    expect(readFileSync(join(runDir, "nodes", `${bad[0]?.node}.log`), "utf8")).toContain("[tob] bad message");
  });
});
