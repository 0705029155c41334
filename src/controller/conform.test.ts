/**
 * `tob conform` through the built CLI: our Raft cluster implements every
 * feature; a deliberately broken node (clusters/command/fixtures/broken-node.mjs)
 * is reported with its missing routes and its two wrong answers, each with the
 * request sent and the answer that came back.
 */
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { distPath } from "../paths.js";
import { freshOut, processesMentioning, removeOutputs } from "../../test/run/support.js";

const BROKEN = new URL("../../clusters/command/fixtures/broken-node.mjs", import.meta.url).pathname;

async function tobConform(args: string[], out = freshOut()) {
  const r = await execa(process.execPath, [distPath("src/cli.js"), "conform", "--out", out, ...args], { reject: false, timeout: 90_000 });
  return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr), out };
}

describe("tob conform", () => {
  afterAll(removeOutputs);

  it("our Raft cluster: every feature ok, exit 0", async () => {
    const r = await tobConform(["--cluster", "raft"]);
    for (const feature of ["get", "put", "cas", "broadcast", "deliveries", "acquire", "release", "txn", "status"]) {
      expect(r.stdout).toMatch(new RegExp(`\\n  ${feature} +yes +ok\\n`));
    }
    expect(r.stdout).toContain("9 ok, 0 wrong, 0 missing");
    expect(r.exitCode).toBe(0);
  }, 60_000);

  it("a broken node: missing routes named, a cas that answers 200 on a mismatch and a status without a leader shown with request and answer; exit 1", async () => {
    const r = await tobConform(["--node-cmd", `node ${BROKEN} {id} {http_port}`, "--nodes", "1"]);
    expect(r.stdout).toMatch(/\n {2}get +yes +ok\n/);
    expect(r.stdout).toMatch(/\n {2}put +yes +ok\n/);
    expect(r.stdout).toMatch(/\n {2}broadcast +yes +MISSING +POST \/v1\/broadcast answered 404\n/);
    expect(r.stdout).toMatch(/\n {2}txn +yes +MISSING +POST \/v1\/txn answered 404\n/);
    expect(r.stdout).toMatch(
      /\n {2}cas +yes +WRONG +a cas whose compare does not match \("b" against "a"\) must answer 409 \{ok: false\}; got \{"ok":true\}\n/,
    );
    expect(r.stdout).toMatch(
      / {6}request: POST \/v1\/kv\/conform-\w+-cas\/cas \{"from":"b","to":"c"\} {2}\(to n1\)\n {6}answer: {2}200 \{"ok":true\}\n/,
    );
    expect(r.stdout).toMatch(/\n {2}status +yes +WRONG +no node's status named a leader/);
    expect(r.stdout).toMatch(
      /request: GET \/v1\/status {2}\(to n1\)\n {6}answer: {2}200 \{"id":"n1","role":"follower","term":1,"leader":null/,
    );
    expect(r.exitCode).toBe(1);
    expect(await processesMentioning(r.out)).toEqual([]);
  }, 60_000);
});
