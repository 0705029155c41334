import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { distPath } from "../paths.js";

// Runs the built CLI: run `npx tsc -p .` first.

const dir = mkdtempSync(join(tmpdir(), "tob-cluster-cmd-"));
const tob = (...args: string[]) =>
  execa(process.execPath, [distPath("src/cli.js"), "cluster", ...args], { reject: false, timeout: 60_000 });

afterAll(async () => {
  await tob("stop", "--dir", dir);
  rmSync(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").length > 0; // a zombie has none
  } catch {
    return false;
  }
}

describe("tob cluster", () => {
  it("starts detached nodes, reports them, and stops exactly those", async () => {
    const started = await tob("start", "--dir", dir, "--nodes", "3");
    expect(started.exitCode, started.stderr).toBe(0);
    expect(started.stdout).toMatch(/leader: n\d/);
    const file = JSON.parse(readFileSync(join(dir, "cluster.json"), "utf8")) as {
      nodes: { id: string; pid: number; httpUrl: string; peerAddr: string }[];
    };
    expect(file.nodes.map((n) => n.id)).toEqual(["n1", "n2", "n3"]);
    for (const n of file.nodes) {
      expect(alive(n.pid)).toBe(true);
      expect(n.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(n.peerAddr).toMatch(/^127\.0\.0\.1:\d+$/);
    }

    const again = await tob("start", "--dir", dir);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/already running/);

    const status = await tob("status", "--dir", dir);
    expect(status.exitCode).toBe(0);
    expect(status.stdout.match(/running/g)).toHaveLength(3);
    expect(status.stdout).toMatch(/leader: n\d \(term \d+\)/);

    const stopped = await tob("stop", "--dir", dir);
    expect(stopped.exitCode).toBe(0);
    for (const n of file.nodes) expect(alive(n.pid), `${n.id} pid ${n.pid}`).toBe(false);
  });

  it("refuses bad input with exit code 2", async () => {
    expect((await tob("start", "--dir", join(dir, "x"), "--nodes", "zero")).exitCode).toBe(2);
    expect((await tob("status", "--dir", join(dir, "none"))).stderr).toMatch(/cluster\.json not found/);
    expect((await tob("restart", "--dir", dir)).exitCode).toBe(2);
  });
});
