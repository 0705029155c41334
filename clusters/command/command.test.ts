/**
 * --cluster command end to end, through the built CLI: our own Raft node run
 * from a template stays valid under kill and partition (its peer traffic goes
 * through the proxy mesh), and every way a user's nodes can fail to start is
 * an input error (exit 2) naming the node, with its log tail, leaving no
 * process behind.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { distPath } from "../../src/paths.js";
import { freshOut, latestResults, processesMentioning, removeOutputs, tobRun } from "../../test/run/support.js";

const RAFT_TEMPLATE = `node ${distPath("clusters/raft/from-flags.js")} --id {id} --host {host} --http {http_port} --peer {peer_port} --peers {peers} --http-peers {http_peers} --data {data_dir}`;
const BAD_NODE = new URL("./fixtures/bad-node.mjs", import.meta.url).pathname;

describe("tob run --cluster command", () => {
  afterAll(removeOutputs);

  it("runs our Raft node from a template: valid under kill,partition through the proxy mesh", async () => {
    const r = await tobRun([
      "--node-cmd",
      RAFT_TEMPLATE,
      "--nemesis",
      "kill,partition",
      "--time",
      "6",
      "--recovery",
      "2",
      "--nemesis-interval",
      "1.5",
      "--nemesis-duration",
      "1",
      "--seed",
      "2",
    ]); // seed 2: partition, kill, partition, kill
    expect(r.stdout).toContain("verdict: VALID");
    expect(r.exitCode).toBe(0);
    const results = latestResults(r.out);
    expect(results.valid).toBe(true);
    const history = String(readLatest(r.out, "history.jsonl"));
    expect(history).toContain('"start-partition"');
    expect(history).toContain('"f":"kill"');
    expect(await processesMentioning(r.out)).toEqual([]);
  }, 120_000);

  const failures: [string, string[], RegExp][] = [
    [
      "a template with an unknown placeholder",
      ["--node-cmd", "my-node --id {id} --port {htp_port}"],
      /unknown placeholder \{htp_port\}.*known: \{id\}/,
    ],
    [
      "a node that exits at start",
      ["--node-cmd", `node ${BAD_NODE} exit {http_port}`],
      /node n\d exited with code 3 before it was ready[\s\S]*cannot open my database/,
    ],
    [
      "a node that answers garbage",
      ["--node-cmd", `node ${BAD_NODE} garbage {http_port}`],
      /node n\d GET http:\/\/127\.0\.0\.1:\d+\/v1\/status: answered garbage, not HTTP[\s\S]*bad-node: mode garbage/,
    ],
    [
      "a node whose status is not JSON",
      ["--node-cmd", `node ${BAD_NODE} non-json {http_port}`],
      /node n\d GET .*\/v1\/status answered 200 with garbage, not a JSON object: "ok, I guess"/,
    ],
  ];
  for (const [what, args, message] of failures) {
    it(`${what}: exit 2, the node named with its log tail, nothing left running`, async () => {
      const r = await tobRun([...args, "--time", "1", "--recovery", "0", "--nemesis", "none"]);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.exitCode).toBe(2);
      expect(await processesMentioning(r.out)).toEqual([]);
    }, 60_000);
  }

  it("a node that never gets ready: exit 2 at the file's deadline, with its last answer", async () => {
    const out = freshOut();
    const file = join(out, "never.json");
    writeFileSync(file, JSON.stringify({ command: `node ${BAD_NODE} never {http_port}`, startTimeoutMs: 6000 }));
    const r = await tobRun(["--cluster-file", file, "--time", "1", "--recovery", "0", "--nemesis", "none"], out);
    expect(r.stderr).toMatch(
      /node n\d was not ready within 6000 ms \(last: GET http:\/\/127\.0\.0\.1:\d+\/v1\/status answered 503 .*unavailable/,
    );
    expect(r.stderr).toMatch(/bad-node: mode never/);
    expect(r.exitCode).toBe(2);
    expect(await processesMentioning(out)).toEqual([]);
  }, 60_000);

  it("a node that crashes during the run is a fault the history records, not a harness error", async () => {
    const r = await tobRun([
      "--node-cmd",
      `node ${BAD_NODE} crash {http_port} {id}`,
      "--workload",
      "kv",
      "--nemesis",
      "none",
      "--time",
      "4",
      "--recovery",
      "1",
      "--seed",
      "1",
    ]);
    expect(r.stderr).not.toMatch(/internal error|did not start/);
    expect([0, 1]).toContain(r.exitCode);
    const crash = readLatest(r.out, "history.jsonl")
      .split("\n")
      .find((l) => l.includes('"f":"crash"'));
    expect(JSON.parse(crash!)).toMatchObject({
      process: "nemesis",
      type: "info",
      f: "crash",
      value: { nodes: ["n1"], how: "exited with code 7" },
    });
    expect(await processesMentioning(r.out)).toEqual([]);
  }, 60_000);

  it("a workload needing a feature the file does not declare is refused before anything starts", async () => {
    const out = freshOut();
    const file = join(out, "kv-only.json");
    writeFileSync(file, JSON.stringify({ command: RAFT_TEMPLATE, features: ["get", "put", "cas", "status"] }));
    const r = await tobRun(["--cluster-file", file, "--workload", "lock", "--time", "1"], out);
    expect(r.stderr).toContain("workload lock needs acquire, release, which the command cluster does not offer");
    expect(r.exitCode).toBe(2);
    expect(existsSync(join(out, "latest"))).toBe(false);
  });

  it("a cluster file with an unknown field is named", async () => {
    const out = freshOut();
    const file = join(out, "typo.json");
    writeFileSync(file, JSON.stringify({ command: RAFT_TEMPLATE, helth: "/ok" }));
    const r = await tobRun(["--cluster-file", file], out);
    expect(r.stderr).toContain(`--cluster-file ${file}: unknown field "helth"`);
    expect(r.exitCode).toBe(2);
  });
});

function readLatest(out: string, name: string): string {
  return readFileSync(join(out, "latest", name), "utf8");
}
