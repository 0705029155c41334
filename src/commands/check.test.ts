import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";
import { builtCliPart, corpusPart, describeWith, itWith } from "../../test/support/real.js";
import { CORPUS_DIR } from "../../checkers/linearizability/corpus.js";
import { distPath } from "../paths.js";
import { tempDir } from "../../test/support/temp.js";

const CLI = distPath("src/cli.js");
const dir = tempDir("check");

function tob(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, "check", ...args], { encoding: "utf8", cwd: dir, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const corpus = (file: string) => resolve(CORPUS_DIR, file);

describeWith([builtCliPart()], "tob check (built CLI)", () => {
  itWith([corpusPart()], "exits 0 on a valid history and 1 on an invalid one, with an explanation", () => {
    expect(tob(corpus("porcupine/jepsen/etcd_002.log")).code).toBe(0);
    const bad = tob(corpus("knossos/cas-register/bad/rethink-fail-minimal.edn"), "--model", "cas-register", "--initial", "0");
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/INVALID[\s\S]*longest linearizable prefix has 2 of 4/);
  });

  itWith([corpusPart()], "prints an Elle-like JSON result and writes HTML", () => {
    const html = join(dir, "out.html");
    const r = tob(corpus("porcupine/kv/c10-bad.txt"), "--model", "kv", "--json", "--html", html);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.valid).toBe(false);
    expect(json["anomaly-types"]).toEqual(["nonlinearizable"]);
    expect(Object.keys(json.partitions).length).toBeGreaterThan(1);
    expect(readFileSync(html, "utf8")).toMatch(/<svg/);
  });

  itWith([corpusPart()], "shrinks a violation, prints and saves it", () => {
    const out = join(dir, "small.jsonl");
    const r = tob(corpus("knossos/cas-register/bad/bad-analysis.edn"), "--shrink", out);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/shrunk \d+ ops/);
    expect(tob(out, "--model", "cas-register").code).toBe(1);
  });

  itWith([corpusPart()], "exits 3 when the time budget runs out", () => {
    const r = tob(corpus("porcupine/kv/c50-ok.txt"), "--timeout", "0.001");
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/unknown/);
  });

  it("exits 2 on bad input, naming the line, the field, or the known models", () => {
    const h = join(dir, "h.jsonl");
    writeFileSync(h, '{"process":1,"type":"invoke","f":"read","value":null}\n{"process":1,"type":"ok","f":"read","value":1}\n');
    const model = tob(h, "--model", "nope");
    expect(model.code).toBe(2);
    expect(model.err).toMatch(
      /--model <name>' argument 'nope' is invalid. Allowed choices are register, cas-register, kv, kv-unpartitioned, multi-register, mutex, fencing, set, queue, etcd/,
    );
    const malformed = join(dir, "m.jsonl");
    writeFileSync(malformed, '{"process":1,"type":"invoke","f":"read","value":null}\n{"process":"x","type":"ok","f":7}\n');
    const r = tob(malformed);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/line 2, field "f"/);
    expect(r.err).not.toMatch(/\n\s+at /);
    const orphan = join(dir, "o.jsonl");
    writeFileSync(orphan, '{"process":1,"type":"ok","f":"read","value":1}\n');
    expect(tob(orphan).err).toMatch(/line 1: ok read of process 1 has no matching invoke/);
    expect(tob(h, "--initial", "{bad").code).toBe(2);
    expect(tob(join(dir, "absent.jsonl")).code).toBe(2);
  });
});
