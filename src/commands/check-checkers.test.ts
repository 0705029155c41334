/**
 * `tob check` with every checker: the choice (--checker, or inferred from
 * the ops), JSONL and Jepsen EDN inputs, folders of mixed histories with
 * their summary table, and bad input (exit 2, line and field, no stack).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { builtCliPart, describeWith } from "../../test/support/real.js";
import { distPath } from "../paths.js";
import { staleListAppendEdn } from "../service/test/histories.js";
import { tempDir } from "../../test/support/temp.js";

const CLI = distPath("src/cli.js");
const dir = tempDir("check-checkers");

function tob(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, "check", ...args], { encoding: "utf8", cwd: dir, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

const jsonl = (ops: object[]) => ops.map((op) => JSON.stringify(op));
const broadcast = (process: number, message: string, seq: number, t: number) => [
  { process, type: "invoke", f: "broadcast", value: message, time: t },
  { process, type: "ok", f: "broadcast", value: { seq }, time: t + 1 },
];
const finalRead = (node: string, messages: string[], t: number) => [
  { process: `r-${node}`, type: "invoke", f: "final-deliveries", value: null, node, time: t },
  { process: `r-${node}`, type: "ok", f: "final-deliveries", value: messages, node, time: t + 1 },
];

/** acknowledged at seq 5, delivered at seq 1 (the miss of issue 10) */
const BROADCAST_BAD = jsonl([...broadcast(0, "a", 5, 0), ...finalRead("n1", ["a"], 10), ...finalRead("n2", ["a"], 12)]);
const BROADCAST_OK = jsonl([...broadcast(0, "a", 1, 0), ...broadcast(0, "b", 2, 2), ...finalRead("n1", ["a", "b"], 10)]);
const REGISTER_OK = jsonl([
  { process: 0, type: "invoke", f: "write", value: 1, time: 0 },
  { process: 0, type: "ok", f: "write", value: 1, time: 1 },
  { process: 1, type: "invoke", f: "read", value: null, time: 2 },
  { process: 1, type: "ok", f: "read", value: 1, time: 3 },
]);
/** Jepsen's EDN list-append: valid */
const APPEND_OK = [
  "{:type :invoke, :f :txn, :value [[:append 5 1] [:r 5 nil]], :process 0, :time 0, :index 0}",
  "{:type :ok, :f :txn, :value [[:append 5 1] [:r 5 [1]]], :process 0, :time 1, :index 1}",
  "{:type :invoke, :f :txn, :value [[:r 5 nil] [:append 5 2]], :process 1, :time 2, :index 2}",
  "{:type :ok, :f :txn, :value [[:r 5 [1]] [:append 5 2]], :process 1, :time 3, :index 3}",
];
/** one txn's appends read out of its order: no serial order explains [2 1] */
const APPEND_BAD = [
  "{:type :invoke, :f :txn, :value [[:append :x 1] [:append :x 2]], :process 0, :time 0}",
  "{:type :ok, :f :txn, :value [[:append :x 1] [:append :x 2]], :process 0, :time 1}",
  "{:type :invoke, :f :txn, :value [[:r :x nil]], :process 1, :time 2}",
  "{:type :ok, :f :txn, :value [[:r :x [2 1]]], :process 1, :time 3}",
];
/** Jepsen's EDN rw-register: valid */
const REGISTER_TXN_OK = [
  "{:type :invoke, :f :txn, :value [[:w :x 1] [:r :y nil]], :process 0, :time 0}",
  "{:type :ok, :f :txn, :value [[:w :x 1] [:r :y nil]], :process 0, :time 1}",
  "{:type :invoke, :f :txn, :value [[:r :x nil] [:w :y 2]], :process 1, :time 2}",
  "{:type :ok, :f :txn, :value [[:r :x 1] [:w :y 2]], :process 1, :time 3}",
];
/** write skew's cousin, a G1c: each txn reads the other's write (Elle's own histories: only :ok ops, no :process) */
const REGISTER_TXN_BAD = ["{:type :ok, :value [[:w :x 1] [:r :y 2]]}", "{:type :ok, :value [[:w :y 2] [:r :x 1]]}"];
/** a read after an acknowledged append misses it: strict serializability is broken, serializability is not */
const APPEND_STALE = staleListAppendEdn().trimEnd().split("\n");

describeWith([builtCliPart()], "tob check --checker (built CLI)", () => {
  it("infers total-order from broadcast ops and names the broken property", () => {
    const r = tob(file("bc-bad.jsonl", BROADCAST_BAD));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/checker total-order inferred/);
    expect(r.out).toMatch(/INVALID: broken order-fixed/);
    expect(r.out).toMatch(/acknowledged at seq 5/);
    expect(tob(file("bc-ok.jsonl", BROADCAST_OK)).code).toBe(0);
  });

  it("reads Jepsen EDN list-append histories and infers Elle", () => {
    const ok = tob(file("append-ok.edn", APPEND_OK));
    expect(ok.out).toMatch(/checker elle-list-append inferred/);
    expect(ok.code).toBe(0);
    const bad = tob(file("append-bad.edn", APPEND_BAD), "--json");
    expect(bad.code).toBe(1);
    const json = JSON.parse(bad.out);
    expect(json.valid).toBe(false);
    expect(json["anomaly-types"].length).toBeGreaterThan(0);
  });

  it("reads Jepsen EDN rw-register histories, Elle's own op-only form included", () => {
    const ok = tob(file("register-ok.edn", REGISTER_TXN_OK));
    expect(ok.out).toMatch(/checker elle-rw-register inferred/);
    expect(ok.code).toBe(0);
    const bad = tob(file("register-bad.edn", REGISTER_TXN_BAD), "--checker", "elle");
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/INVALID: .*G1c/);
    const forced = tob(join(dir, "register-ok.edn"), "--checker", "elle-list-append");
    expect(forced.code).toBe(2);
    expect(forced.err).toMatch(/register-ok\.edn line \d+, field "value": elle-list-append: .*micro-op/);
  });

  it("passes --consistency-models to Elle", () => {
    const stale = file("append-stale.edn", APPEND_STALE);
    const strict = tob(stale);
    expect(strict.code).toBe(1);
    expect(strict.out).toMatch(/strict-serializable/);
    const serializable = tob(stale, "--consistency-models", "serializable");
    expect(serializable.code).toBe(0);
    // shown back as the user named them, not as Elle's canonical names (PL-3)
    expect(serializable.out).toMatch(/checked against serializable\b/);
    expect(serializable.out).not.toMatch(/PL-3/);
    const unknown = tob(stale, "--consistency-models", "serialisable");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown consistency model "serialisable"; known models: .*serializable/);
  });

  it("shrinks a total-order violation with --shrink to a smaller history that breaks the same properties", () => {
    const ops = [
      ...broadcast(0, "a", 1, 0),
      ...broadcast(1, "b", 2, 2),
      ...broadcast(2, "c", 3, 4),
      ...broadcast(0, "d", 4, 6),
      ...broadcast(1, "late", 9, 8),
      ...finalRead("n1", ["a", "b", "c", "d", "z"], 20),
      ...finalRead("n2", ["a", "b", "c", "d"], 22),
    ];
    const bad = file("bc-shrink.jsonl", jsonl(ops));
    const shrunkPath = join(dir, "bc-shrink.shrunk.jsonl");
    const r = tob(bad, "--shrink", shrunkPath);
    expect(r.code).toBe(1);
    const broken = /INVALID: broken ([\w, -]+)/.exec(r.out)![1]!;
    expect(broken).toBe("integrity, agreement, no-loss");
    expect(r.out + r.err).toMatch(new RegExp(`shrunk ${ops.length} ops to \\d+ that still break ${broken}`));
    const shrunkOps = readFileSync(shrunkPath, "utf8").trim().split("\n");
    expect(shrunkOps.length).toBeLessThan(ops.length);
    // the witnesses stay: the stray "z" on n1, and the acknowledged "late" no final read holds
    expect(shrunkOps.join("\n")).toContain('"z"');
    expect(shrunkOps.join("\n")).toContain('"late"');
    const again = tob(shrunkPath, "--checker", "total-order");
    expect(again.code).toBe(1);
    expect(again.out).toContain(`INVALID: broken ${broken}`);
  });

  it("draws an Elle violation's cycle in --html and shrinks it to the same anomaly with --shrink", () => {
    const stale = file("append-stale-shrink.edn", APPEND_STALE);
    const page = join(dir, "append-stale.html");
    const shrunkPath = join(dir, "append-stale.shrunk.jsonl");
    const r = tob(stale, "--html", page, "--shrink", shrunkPath);
    expect(r.code).toBe(1);
    const anomaly = /INVALID: ([\w-]+)/.exec(r.out)![1]!;
    const html = readFileSync(page, "utf8");
    expect(html).toContain("<svg");
    expect(html).toContain(anomaly);
    expect(r.out + r.err).toMatch(/shrunk \d+ txns to \d+ that still show /);
    // The shrunk history is itself a history tob check rejects, for the same kind of anomaly.
    const again = tob(shrunkPath, "--checker", "elle-list-append");
    expect(again.code).toBe(1);
    expect(again.out).toContain(/still show ([\w-]+)/.exec(r.out + r.err)![1]!);
  });

  it("runs the checker named by --checker, and says when the ops do not fit it", () => {
    const history = file("bc-choice.jsonl", BROADCAST_BAD);
    expect(tob(history, "--checker", "total-order").code).toBe(1);
    const lin = tob(history, "--checker", "linearizable");
    expect(lin.code).toBe(2);
    expect(lin.err).toMatch(/bc-choice\.jsonl line 1\b/);
    const elle = tob(history, "--checker", "elle");
    expect(elle.code).toBe(2);
    expect(elle.err).toMatch(/line 1, field "f": the elle-list-append checker reads ops with f = txn/);
    const unknown = tob(history, "--checker", "serial");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown checker "serial"; known checkers: linearizable, total-order, elle-list-append/);
  });

  it("checks a folder of mixed histories: a table, the worst verdict, JSON and HTML per file", () => {
    file("mixed/bc-bad.jsonl", BROADCAST_BAD);
    file("mixed/nested/append-ok.edn", APPEND_OK);
    file("mixed/register.jsonl", REGISTER_OK);
    file("mixed/txn-register.edn", REGISTER_TXN_OK);
    file("mixed/results.json", ['{"valid": true}']);
    const r = tob(join(dir, "mixed"), "--html", join(dir, "pages"));
    expect(r.code).toBe(1);
    const table = r.out.slice(r.out.lastIndexOf("file "));
    expect(table).toMatch(/^file\s+checker\s+verdict\s+ops\s+time$/m);
    expect(table).toMatch(/bc-bad\.jsonl\s+total-order\s+INVALID\s+6\s+\d+ ms/);
    expect(table).toMatch(/append-ok\.edn\s+elle-list-append\s+valid\s+4/);
    expect(table).toMatch(/register\.jsonl\s+linearizable\s+valid\s+4/);
    expect(table).toMatch(/txn-register\.edn\s+elle-rw-register\s+valid\s+4/);
    expect(table).not.toMatch(/results\.json/);
    for (const page of ["bc-bad.html", "append-ok.html", "register.html", "txn-register.html"])
      expect(existsSync(join(dir, "pages", page))).toBe(true);
    expect(readFileSync(join(dir, "pages", "bc-bad.html"), "utf8")).toMatch(/data-verdict="invalid"/);

    const json = JSON.parse(tob(join(dir, "mixed"), "--json").out);
    expect(json.valid).toBe(false);
    expect(json.files.map((f: { checker: string; valid: unknown }) => [f.checker, f.valid])).toEqual([
      ["total-order", false],
      ["elle-list-append", true],
      ["linearizable", true],
      ["elle-rw-register", true],
    ]);
    expect(tob(join(dir, "mixed/nested"), join(dir, "mixed/register.jsonl")).code).toBe(0);
  });

  it("exits 2 on ops that do not fit, naming the line and the field, never with a stack trace", () => {
    const notString = file(
      "bc-shape.jsonl",
      jsonl([...broadcast(0, "a", 1, 0), { process: 1, type: "invoke", f: "broadcast", value: 7, time: 5 }]),
    );
    const r = tob(notString);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bc-shape\.jsonl line 3, field "value": total-order: .*message string/);
    expect(r.err).not.toMatch(/\n\s+at /);
    const noNode = file(
      "bc-node.jsonl",
      jsonl([
        { process: 1, type: "invoke", f: "deliveries", value: null, time: 0 },
        { process: 1, type: "ok", f: "deliveries", value: [], time: 1 },
      ]),
    );
    expect(tob(noNode).err).toMatch(/line 2, field "node"/);
    const badMop = file("append-mop.edn", [
      "{:type :invoke, :f :txn, :value [[:append 1 1]], :process 0}",
      "{:type :ok, :f :txn, :value [[:append 1 1]], :process 0}",
      "{:type :invoke, :f :txn, :value [[:inc 1 1]], :process 1}",
    ]);
    const mop = tob(badMop, "--checker", "elle-list-append");
    expect(mop.code).toBe(2);
    expect(mop.err).toMatch(/append-mop\.edn line 3, field "value": elle-list-append: .*micro-op/);
    expect(mop.err).not.toMatch(/\n\s+at /);
  });

  it("reports a bad file of a folder in its row and exits 2, checking the rest", () => {
    file("some-bad/ok.jsonl", BROADCAST_OK);
    file("some-bad/broken.jsonl", ['{"process":0,"type":"invoke","f":"broadcast","value":"a"}', "{not json"]);
    const r = tob(join(dir, "some-bad"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/broken\.jsonl line 2: not valid JSON/);
    expect(r.out).toMatch(/broken\.jsonl\s+-\s+input error/);
    expect(r.out).toMatch(/ok\.jsonl\s+total-order\s+valid/);
    expect(tob(join(dir, "empty-folder-that-is-missing")).code).toBe(2);
    mkdirSync(join(dir, "empty"), { recursive: true });
    expect(tob(join(dir, "empty")).err).toMatch(/no histories in this folder/);
  });
});

/** An invocation and its ok completion on `process`: two lines. */
const call = (process: number | string, f: string, value: unknown, output: unknown, t: number, extra: object = {}) => [
  { process, type: "invoke", f, value, time: t, ...extra },
  { process, type: "ok", f, value: output, time: t + 1, ...extra },
];

interface Case {
  name: string;
  ops: object[];
  args: string[];
  /** the line and field the error must name, and what it must say */
  line: number;
  field: string;
  says: RegExp;
}

const CASES: Case[] = [
  {
    name: "register: an unknown f",
    ops: [...call(0, "write", 1, 1, 0), ...call(1, "incr", 1, 2, 2)],
    args: ["--checker", "linearizable", "--model", "register"],
    line: 3,
    field: "f",
    says: /register has read, write and cas, not incr/,
  },
  {
    name: "cas-register: a cas whose value is not [from, to]",
    ops: [...call(0, "write", 1, 1, 0), ...call(0, "read", null, 1, 2), ...call(1, "cas", 1, 1, 4)],
    args: ["--checker", "linearizable", "--model", "cas-register"],
    line: 5,
    field: "value",
    says: /expected \[from, to\] for f "cas", got 1/,
  },
  {
    name: "kv: an op without a key",
    ops: [...call(0, "put", "a", "a", 0, { key: "x" }), ...call(1, "get", null, "a", 2)],
    args: ["--checker", "linearizable", "--model", "kv"],
    line: 3,
    field: "key",
    says: /kv ops need a key/,
  },
  {
    name: "kv: an unknown f",
    ops: [...call(0, "put", "a", "a", 0, { key: "x" }), ...call(1, "delete", null, null, 2, { key: "x" })],
    args: ["--checker", "linearizable", "--model", "kv"],
    line: 3,
    field: "f",
    says: /kv has .*, not delete/,
  },
  {
    name: "multi-register: a txn whose value is not micro-ops",
    ops: [...call(0, "txn", [["w", "x", 1]], [["w", "x", 1]], 0), ...call(1, "txn", { x: 1 }, null, 2)],
    args: ["--checker", "linearizable", "--model", "multi-register"],
    line: 3,
    field: "value",
    says: /expected \[\[read\|write k v\] \.\.\.\] for f "txn"/,
  },
  {
    name: "total-order: a broadcast whose message is not a string",
    ops: [...call(0, "broadcast", "a", { seq: 1 }, 0), ...call(1, "broadcast", 7, { seq: 2 }, 2)],
    args: ["--checker", "total-order"],
    line: 3,
    field: "value",
    says: /message string/,
  },
  {
    name: "total-order: a final read without a node",
    ops: [...call(0, "broadcast", "a", { seq: 1 }, 0), ...call("r", "final-deliveries", null, ["a"], 2)],
    args: ["--checker", "total-order"],
    line: 4,
    field: "node",
    says: /needs `node`/,
  },
  {
    name: "total-order: a final read whose value is not a list",
    ops: [...call(0, "broadcast", "a", { seq: 1 }, 0), ...call("r", "final-deliveries", null, "a", 2, { node: "n1" })],
    args: ["--checker", "total-order"],
    line: 4,
    field: "value",
    says: /total-order: /,
  },
  {
    name: "elle list-append: an unknown micro-op f",
    ops: [...call(0, "txn", [["append", "x", 1]], [["append", "x", 1]], 0), ...call(1, "txn", [["inc", "x", 1]], [["inc", "x", 1]], 2)],
    args: ["--checker", "elle-list-append"],
    line: 4,
    field: "value",
    says: /function must be "append" or "r", got "inc"/,
  },
  {
    name: "elle list-append: a read that is not a list",
    ops: [...call(0, "txn", [["append", "x", 1]], [["append", "x", 1]], 0), ...call(1, "txn", [["r", "x", null]], [["r", "x", 5]], 2)],
    args: ["--checker", "elle-list-append"],
    line: 4,
    field: "value",
    says: /read value must be an array/,
  },
  {
    name: "elle rw-register: a key that is not a number or string",
    ops: [...call(0, "txn", [["w", "x", 1]], [["w", "x", 1]], 0), ...call(1, "txn", [["w", { k: 1 }, 2]], [["w", { k: 1 }, 2]], 2)],
    args: ["--checker", "elle-rw-register"],
    line: 3,
    field: "value",
    says: /micro-op 0/,
  },
];

/**
 * Ops that do not fit the chosen checker, one case per kind of misfit (an
 * unknown f, a value of the wrong shape, a missing key or node) for each
 * checker: linearizable (register, cas-register, kv, multi-register models),
 * total-order and Elle (list-append, rw-register).
 */
describeWith([builtCliPart()], "tob check on ops that do not fit the checker (built CLI)", () => {
  for (const c of CASES) {
    it(`${c.name}: exit 2, naming line ${c.line} and field "${c.field}"`, () => {
      const path = file(`misfit/${c.name.replace(/[^a-z]+/g, "-")}.jsonl`, jsonl(c.ops));
      const r = tob(path, ...c.args);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`line ${c.line}, field "${c.field}": `);
      expect(r.err).toMatch(c.says);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.out).toBe("");
    });
  }

  it("a misfit under a guessed checker says the checker was guessed, and how to choose another", () => {
    const path = file("misfit/guessed.jsonl", jsonl([...call(0, "txn", [["frob", "x", 1]], [["frob", "x", 1]], 0)]));
    const r = tob(path);
    expect(r.code).toBe(2);
    expect(r.err).toContain('line 1, field "value": ');
    expect(r.err).toContain("checker linearizable inferred from the ops; pass --checker to choose");
    expect(tob(path, "--checker", "linearizable").err).not.toContain("inferred");
  });

  it("a history that fits is checked: the cases above fail only for their one misfit op", () => {
    const fits = file("misfit/fits.jsonl", jsonl([...call(0, "write", 1, 1, 0), ...call(1, "read", null, 1, 2)]));
    expect(tob(fits, "--checker", "linearizable", "--model", "register").code).toBe(0);
  });
});
