/**
 * Every Maelstrom workload against a correct node (JS, and Python where an
 * example exists), through the router with real node processes: each must be
 * valid; and every planted bug must be caught by its workload's checker.
 */
import { afterAll, describe, expect, it } from "vitest";
import { removeOutputs } from "../run/support.js";
import { JS, nodeCmd, PY, run, spec } from "./support.js";

afterAll(removeOutputs);

const correct: [string, string, Parameters<typeof spec>[1] extends infer O ? Partial<O> : never][] = [
  ["echo", `${JS}/echo.js`, {}],
  ["unique-ids", `${JS}/unique-ids.js`, { nemesis: ["kill"] }],
  ["broadcast", `${JS}/broadcast.js`, { nodes: 5, latencyMs: 10, nemesis: ["partition"], topology: "grid" }],
  ["broadcast", `${PY}/broadcast.py`, { nodes: 5, latencyMs: 10, nemesis: ["partition", "kill"], topology: "line" }],
  ["g-set", `${JS}/g-set.js`, { nemesis: ["partition"] }],
  ["g-counter", `${JS}/counter.js`, { nemesis: ["pause"] }],
  ["pn-counter", `${JS}/counter.js`, { latencyMs: 5, latencyDist: "exponential" }],
  ["lin-kv", `${JS}/lin-kv-proxy.js`, { nemesis: ["kill"], latencyMs: 5, latencyDist: "uniform" }],
  ["lin-kv", `${PY}/lin_kv_proxy.py`, {}],
  ["txn-list-append", `${JS}/txn-list-append.js`, { latencyMs: 5, concurrency: 4 }],
  ["txn-list-append", `${PY}/txn_list_append.py`, { latencyMs: 5, concurrency: 4 }],
  ["txn-rw-register", `${JS}/txn-rw-register.js`, { latencyMs: 5, concurrency: 4 }],
  ["kafka", `${JS}/kafka.js`, { latencyMs: 5, concurrency: 4, nemesis: ["kill"] }],
];

describe.concurrent("a correct node is valid", () => {
  for (const [workload, file, overrides] of correct) {
    it(`${workload}: ${file.split("/").slice(-2).join("/")} ${JSON.stringify(overrides)}`, async () => {
      const { results } = await run(spec(workload, { ...nodeCmd(file), ...overrides }));
      expect(results.valid, JSON.stringify(results.results, null, 1).slice(0, 3000)).toBe(true);
      expect(results.stats.ok).toBeGreaterThan(5);
    });
  }
});

const buggy: [string, string, string[], Partial<Parameters<typeof spec>[1]>, string][] = [
  ["broadcast", `${JS}/broadcast-once.js`, [], { nodes: 5, latencyMs: 10, nemesis: ["partition-halves"], topology: "grid" }, "broadcast"],
  ["broadcast", `${PY}/broadcast_once.py`, [], { nodes: 5, latencyMs: 10, nemesis: ["partition-halves"], topology: "line" }, "broadcast"],
  ["lin-kv", `${JS}/lin-kv-cache.js`, [], {}, "linearizability(register)"],
  ["lin-kv", `${PY}/lin_kv_cache.py`, [], {}, "linearizability(register)"],
  [
    "txn-list-append",
    `${JS}/txn-list-append.js`,
    ["--lost-update"],
    { latencyMs: 20, concurrency: 6, rate: 40, time: 4 },
    "elle-list-append",
  ],
  [
    "txn-list-append",
    `${PY}/txn_list_append.py`,
    ["--lost-update"],
    { latencyMs: 20, concurrency: 6, rate: 40, time: 4 },
    "elle-list-append",
  ],
  ["kafka", `${JS}/kafka.js`, ["--lost-commit"], { latencyMs: 20, concurrency: 6, rate: 50, time: 5 }, "kafka"],
];

describe.concurrent("a planted bug is caught", () => {
  for (const [workload, file, args, overrides, checker] of buggy) {
    it(`${workload}: ${file.split("/").slice(-2).join("/")} ${args.join(" ")}`, async () => {
      const { results } = await run(spec(workload, { ...nodeCmd(file, ...args), ...overrides }));
      expect(results.valid).toBe(false);
      expect(results.results[checker]?.valid).toBe(false);
      if (workload === "broadcast") expect(results.results.broadcast?.["lost-count"]).toBeGreaterThan(0);
    });
  }
});
