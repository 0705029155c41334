/**
 * End to end: `tob run --nemesis membership` against a real 3-node raft
 * cluster. Nodes leave the configuration and come back as new, empty members
 * (their data wiped) while clients write: linearizability (register) and total
 * order (broadcast) must hold throughout, and every node must end with the
 * same deliveries. A kind that cannot change membership refuses the fault.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Op } from "../../src/history/op.js";
import { processesMentioning, removeOutputs, tobRun } from "./support.js";

// Recovery leaves room for the final add (a node process spawned and caught up: seconds on a loaded machine).
const SHORT = [
  "--time",
  "8",
  "--recovery",
  "4",
  "--rate",
  "150",
  "--concurrency",
  "4",
  "--nemesis-interval",
  "2.5",
  "--nemesis-duration",
  "1.2",
];

function historyOf(out: string): Op[] {
  return readFileSync(join(out, "latest", "history.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Op);
}

/** The nemesis's completed membership ops (info: done; fail: refused): [f, node, error?]. */
function membershipOps(history: Op[]): [string, string, string | undefined][] {
  return history
    .filter((op) => op.process === "nemesis" && op.type !== "invoke" && (op.f === "remove-member" || op.f === "add-member"))
    .map((op) => [op.f, (op.value as { node: string }).node, op.error]);
}

describe("tob run --nemesis membership, end to end", () => {
  afterAll(removeOutputs);

  it("register: linearizable while nodes are removed and added back empty", async () => {
    const r = await tobRun(["--workload", "register", "--nemesis", "membership", ...SHORT, "--seed", "21"]);
    expect(r.stdout, r.stderr).toContain("linearizability(register)  VALID");
    expect(r.stdout).toContain("verdict: VALID");
    expect(r.exitCode).toBe(0);
    const ops = membershipOps(historyOf(r.out));
    // Removals and adds alternate, one node out at a time, and every node removed is back at the end.
    // A change may be refused on a loaded machine (a slow follower does not count as live), but only
    // with its reason, and then it certainly did not happen (the history says fail).
    let out: string | null = null;
    let removals = 0;
    for (const [f, node, error] of ops) {
      if (error !== undefined) {
        expect(error).toMatch(/refused: .*(would lose the quorum|already in progress)/);
        continue;
      }
      if (f === "remove-member") {
        expect(out, `${node} removed while ${out} was out`).toBeNull();
        out = node;
        removals++;
      } else {
        expect(node).toBe(out);
        out = null;
      }
    }
    expect(out).toBeNull();
    expect(removals).toBeGreaterThanOrEqual(2);
    expect(await processesMentioning(r.out)).toEqual([]);
  }, 60_000);

  it("broadcast: one total order, the same final deliveries on every node, the re-added ones included", async () => {
    const r = await tobRun(["--workload", "broadcast", "--nemesis", "membership,kill", ...SHORT, "--seed", "22"]);
    expect(r.stdout, r.stderr).toContain("total-order  VALID");
    expect(r.stdout).toContain("verdict: VALID");
    expect(r.exitCode).toBe(0);
    const history = historyOf(r.out);
    const added = membershipOps(history).filter(([f, , error]) => f === "add-member" && error === undefined);
    expect(added.length).toBeGreaterThanOrEqual(1);
    const finals = history.filter((op) => op.f === "final-deliveries" && op.type === "ok");
    expect(finals.map((op) => op.node).sort()).toEqual(["n1", "n2", "n3"]);
    const first = JSON.stringify(finals[0]!.value);
    for (const op of finals) expect(JSON.stringify(op.value), op.node).toBe(first);
    expect((finals[0]!.value as string[]).length).toBeGreaterThan(50);
    expect(await processesMentioning(r.out)).toEqual([]);
  }, 60_000);

  it("is refused, before anything starts, for a kind that cannot change membership", async () => {
    const r = await tobRun(["--cluster", "etcd", "--nemesis", "membership", "--time", "2"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("--nemesis membership: the etcd cluster cannot change its membership at run time");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await processesMentioning(r.out)).toEqual([]);
  });
});
