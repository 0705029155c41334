import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ApiClient } from "../api/client.js";
import { statuses } from "../api/leader.js";
import { changeMembership, settledMembers } from "../api/members.js";
import { RaftCluster } from "./adapter.js";

// A real 3-node cluster from dist/: run `npx tsc -p .` first.

const dir = mkdtempSync(join(tmpdir(), "tob-members-"));
const cluster = new RaftCluster({ dir, nodes: 3 });
const pidsSeen = new Set<number>();

afterAll(async () => {
  await cluster.stop();
  for (const pid of pidsSeen) expect(() => process.kill(pid, 0), `pid ${pid} still alive`).toThrow();
  rmSync(dir, { recursive: true, force: true });
});

function notePids(): void {
  for (const n of cluster.nodes()) if (n.pid) pidsSeen.add(n.pid);
}

function live() {
  return cluster.nodes().filter((n) => n.pid !== null);
}

async function voters(): Promise<string[]> {
  const view = await settledMembers(live(), 5000);
  if (view === null) throw new Error("no leader answered GET /v1/members");
  return view.members.map((m) => m.id).sort();
}

async function raw(url: string, method: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Every running node answers and has applied what the leader committed: all are up and heard from. */
async function allCaughtUp(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await statuses(live());
    const commit = Math.max(...all.map((s) => s?.commitIndex ?? 0));
    if (all.every((s) => s !== null && s.appliedIndex >= commit)) return;
    if (Date.now() > deadline) throw new Error(`nodes not caught up within ${timeoutMs} ms: ${JSON.stringify(all)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("membership of a real 3-node cluster", () => {
  it("removes a member under writes, adds it back empty, and it catches up", async () => {
    await cluster.start();
    notePids();
    // The leader is elected once two nodes run; the third may still be starting on a loaded machine.
    await allCaughtUp(10_000);
    expect(await voters()).toEqual(["n1", "n2", "n3"]);
    const client = cluster.client("n1");
    let written = 0;
    let stop = false;
    // Writes go on throughout; every acknowledged one must be readable at the end.
    const load = (async () => {
      for (let i = 0; i < 5000 && !stop; i++) {
        const r = await client.put(`k${i % 20}`, `v${i}`);
        if (r.type === "ok") written++;
      }
    })();
    const leader = await cluster.leader();
    // Remove the leader itself when n1 leads... any node but n1, whose client carries the load.
    const target = leader !== null && leader !== "n1" ? leader : "n2";
    await cluster.removeMember(target);
    notePids();
    expect(await voters()).toEqual(["n1", "n2", "n3"].filter((n) => n !== target));
    expect(cluster.nodes().find((n) => n.id === target)?.pid).toBeNull();
    await cluster.addMember(target);
    notePids();
    expect(await voters()).toEqual(["n1", "n2", "n3"]);
    stop = true;
    await load;
    expect(written).toBeGreaterThan(0);
    // The new member started empty and caught up: it applies what the leader committed.
    const spec = cluster.nodes().find((n) => n.id === target)!;
    const leaderNow = (await cluster.leader())!;
    const leaderStatus = await new ApiClient(leaderNow, cluster.nodes().find((n) => n.id === leaderNow)!.httpUrl).status();
    const commit = leaderStatus.type === "ok" ? leaderStatus.value.commitIndex : Number.POSITIVE_INFINITY;
    const deadline = Date.now() + 10_000;
    let applied = 0;
    while (Date.now() < deadline) {
      const s = await raw(`${spec.httpUrl}/v1/status`, "GET");
      applied = s.body.appliedIndex as number;
      if (applied >= commit) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(applied).toBeGreaterThanOrEqual(commit);
    expect(readdirSync(join(dir, "data", target, "wal")).length).toBeGreaterThan(0);
    await client.close();
  }, 60_000);

  it("refuses a change that would lose the quorum, with its reason, and changes nothing", async () => {
    const leader = (await cluster.leader())!;
    const [down, other] = ["n1", "n2", "n3"].filter((n) => n !== leader);
    await cluster.kill(down!);
    // The leader counts a voter silent for two election timeouts (200 ms by default) as down.
    await new Promise((r) => setTimeout(r, 1000));
    const r = await changeMembership(live(), { op: "remove", id: other! }, 5000);
    expect(r.kind).toBe("refused");
    expect("detail" in r && r.detail).toMatch(
      new RegExp(`removing ${other} would lose the quorum: 2 voters after it need 2, and only 1 of them are live \\(${leader}\\)`),
    );
    const via = live().find((n) => n.id === other)!;
    // Straight from the HTTP API, through a follower that forwards: 409 with the reason.
    const answer = await raw(`${via.httpUrl}/v1/members/${other}`, "DELETE");
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ error: "refused" });
    expect(String(answer.body.detail)).toContain("would lose the quorum");
    expect(await voters()).toEqual(["n1", "n2", "n3"]);
    await cluster.restart(down!);
    notePids();
    await allCaughtUp(10_000);
  }, 30_000);

  it("answers bad membership requests with 400 or 409 naming the problem", async () => {
    const url = live()[0]!.httpUrl;
    expect(await raw(`${url}/v1/members`, "POST", { id: "n9" })).toMatchObject({ status: 400, body: { error: 'missing field "peer"' } });
    expect(await raw(`${url}/v1/members`, "POST", { id: "bad id", peer: "127.0.0.1:1", http: "http://127.0.0.1:2" })).toMatchObject({
      status: 400,
    });
    expect(await raw(`${url}/v1/members`, "POST", { id: "n9", peer: "nohost", http: "http://127.0.0.1:2" })).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining('field "peer"') },
    });
    const r = await changeMembership(live(), { op: "remove", id: "n7" }, 5000);
    expect(r).toEqual({ kind: "refused", detail: expect.stringMatching(/n7 is not a member \(members: n\d, n\d, n\d\)/) });
    const dup = await changeMembership(live(), { op: "add", id: "n1", peer: "127.0.0.1:1", http: "http://127.0.0.1:2" }, 5000);
    expect(dup).toEqual({ kind: "refused", detail: expect.stringContaining("n1 is already a member") });
  }, 30_000);
});
