import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { distPath } from "../paths.js";

// Runs the built CLI against detached nodes: run `npx tsc -p .` first.

const dir = mkdtempSync(join(tmpdir(), "tob-cluster-members-"));
const tob = (...args: string[]) => execa(process.execPath, [distPath("src/cli.js"), "cluster", ...args], { reject: false });

interface FileNode {
  id: string;
  pid: number;
  httpUrl: string;
}

function nodes(): FileNode[] {
  return (JSON.parse(readFileSync(join(dir, "cluster.json"), "utf8")) as { nodes: FileNode[] }).nodes;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").length > 0;
  } catch {
    return false;
  }
}

async function get(url: string): Promise<Record<string, unknown>> {
  return (await (await fetch(url)).json()) as Record<string, unknown>;
}

const pids = new Set<number>();

afterAll(async () => {
  await tob("stop", "--dir", dir);
  for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("tob cluster add|remove", () => {
  it("adds an empty member that catches up, removes one, and refuses a change that would lose the quorum", async () => {
    const started = await tob("start", "--dir", dir, "--nodes", "3");
    expect(started.exitCode, started.stderr).toBe(0);
    for (const n of nodes()) pids.add(n.pid);

    const added = await tob("add", "--dir", dir);
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/added n4 \(log index \d+\); voters: n1, n2, n3, n4/);
    const n4 = nodes().find((n) => n.id === "n4")!;
    pids.add(n4.pid);
    expect(alive(n4.pid)).toBe(true);
    // The new member learns the configuration from the leader and applies the whole log.
    const deadline = Date.now() + 10_000;
    let view: Record<string, unknown> = {};
    while (Date.now() < deadline) {
      view = await get(`${n4.httpUrl}/v1/members`);
      if ((view.members as unknown[]).length === 4) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((view.members as { id: string }[]).map((m) => m.id).sort()).toEqual(["n1", "n2", "n3", "n4"]);

    const n1 = nodes().find((n) => n.id === "n1")!;
    const removed = await tob("remove", "--dir", dir, "--node", "n1");
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/removed n1 \(log index \d+\); voters: n2, n3, n4/);
    expect(alive(n1.pid)).toBe(false);
    expect(nodes().map((n) => n.id)).toEqual(["n2", "n3", "n4"]);

    // n3 dies: removing n2 would leave {n3, n4} with only n4 live, no quorum.
    const n3 = nodes().find((n) => n.id === "n3")!;
    process.kill(n3.pid, "SIGKILL");
    await new Promise((r) => setTimeout(r, 1000));
    const refused = await tob("remove", "--dir", dir, "--node", "n2");
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(
      /^tob: refused, nothing changed: n\d: removing n2 would lose the quorum: 2 voters after it need 2, and only 1 of them are live \(n4\)$/,
    );
    expect(nodes().map((n) => n.id)).toEqual(["n2", "n3", "n4"]);
    const status = await tob("status", "--dir", dir);
    expect(status.stdout).toMatch(/\nvoters: n2, n3, n4$/m);
  }, 90_000);

  it("names the node or flag on bad input, exit 2", async () => {
    const unknown = await tob("remove", "--dir", dir, "--node", "n9");
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/--node n9: no such node in .* \(nodes: n2, n3, n4\)/);
    const noNode = await tob("remove", "--dir", dir);
    expect(noNode.exitCode).toBe(2);
    expect(noNode.stderr).toMatch(/needs --node ID/);
    const badId = await tob("add", "--dir", dir, "--node", "bad id");
    expect(badId.exitCode).toBe(2);
    expect(badId.stderr).toMatch(/--node must be 1-64 letters/);
    const running = await tob("add", "--dir", dir, "--node", "n2");
    expect(running.exitCode).toBe(2);
    expect(running.stderr).toMatch(/--node n2: it already runs in/);
    const none = await tob("add", "--dir", join(dir, "nothing"));
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/cluster\.json not found/);
    for (const r of [unknown, noNode, badId, running, none]) expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});
