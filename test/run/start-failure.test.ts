/**
 * A cluster that cannot start is reported with its nodes' log tails, as a
 * failure of the environment (EnvironmentError: exit 5 from the CLI, not 2
 * "input error"), and leaves no process behind.
 */
import { afterAll, describe, expect, it } from "vitest";
import { runTest } from "../../src/controller/test-run.js";
import type { RunSpec } from "../../src/controller/spec.js";
import { EnvironmentError } from "../../src/exit.js";
import { freshOut, processesMentioning, removeOutputs } from "./support.js";

describe("a cluster that fails to start", () => {
  afterAll(removeOutputs);

  it("reports every node's log tail", async () => {
    const out = freshOut();
    const spec: RunSpec = {
      name: "register", workload: "register", cluster: "raft", nodes: 3, nemesis: [], time: 1, recoveryS: 0, concurrency: 1, rate: 10, seed: 1,
      // Past the CLI's validation on purpose: every node refuses this flag and exits.
      bugs: ["no-such-bug" as RunSpec["bugs"][number]],
      net: "proxy", etcdReads: "linearizable", nemesisIntervalS: 1, nemesisDurationS: 1, opTimeoutMs: 1000,
    };
    const err = await runTest(spec, { outDir: out, log: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    const message = (err as Error).message;
    expect(message).toContain("the raft cluster did not start");
    expect(message).toContain("--- n1.log");
    expect(message).toContain("no-such-bug");
    expect(await processesMentioning(out)).toEqual([]);
  });
});
