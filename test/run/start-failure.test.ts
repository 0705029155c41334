/**
 * A run the kind cannot do is refused before anything starts: no run folder,
 * no process. (A cluster whose nodes fail to start is covered by the command
 * kind's tests, clusters/command/, with its nodes' log tails.)
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runTest } from "../../src/controller/test-run.js";
import type { RunSpec } from "../../src/controller/spec.js";
import { InputError } from "../../src/history/input-error.js";
import { freshOut, processesMentioning, removeOutputs } from "./support.js";

describe("a run the kind cannot do", () => {
  afterAll(removeOutputs);

  const base: RunSpec = {
    name: "register",
    workload: "register",
    cluster: "raft",
    nodes: 3,
    nemesis: [],
    time: 1,
    recoveryS: 0,
    concurrency: 1,
    rate: 10,
    seed: 1,
    bugs: [],
    net: "proxy",
    nemesisIntervalS: 1,
    nemesisDurationS: 1,
    opTimeoutMs: 1000,
  };

  for (const [what, spec, message] of [
    // Past the CLI's validation on purpose: the kind itself refuses.
    [
      "a bug the kind cannot plant",
      { bugs: ["no-such-bug" as RunSpec["bugs"][number]] },
      /--bug no-such-bug: the raft cluster has the bugs/,
    ],
    [
      "a read mode the kind lacks",
      { reads: "serializable" },
      /--reads "serializable": the raft cluster reads linearizable or log or local/,
    ],
    [
      "a feature the kind lacks",
      { cluster: "etcd", workload: "lock" },
      /workload lock needs acquire, release, which the etcd cluster does not offer/,
    ],
  ] as const) {
    it(`is refused before anything starts: ${what}`, async () => {
      const out = freshOut();
      const err = await runTest({ ...base, ...spec } as RunSpec, { outDir: out, log: () => {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(message);
      expect(existsSync(join(out, "latest"))).toBe(false);
      expect(await processesMentioning(out)).toEqual([]);
    });
  }
});
