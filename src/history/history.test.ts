import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "./input-error.js";
import { detectFormat, readHistory } from "./formats.js";
import type { Op } from "./op.js";
import { pairOperations, Pairing } from "./pair.js";
import { HistoryWriter } from "./writer.js";
import { tempDir } from "../../test/support/temp.js";

const dir = tempDir("history");
let n = 0;
function file(name: string, text: string): string {
  const path = join(dir, `${n++}-${name}`);
  writeFileSync(path, text);
  return path;
}

const NEMESIS_PROCESS = "nemesis" as unknown as number;
const op = (index: number, process: number, type: Op["type"], f: string, value: unknown): Op => ({
  index,
  time: index * 10,
  process,
  type,
  f,
  value,
});

describe("history readers", () => {
  it("writer appends one flushed line per op, and the JSONL reader reads them back", async () => {
    const path = join(dir, "w.jsonl");
    const w = new HistoryWriter(path);
    w.append(op(0, 1, "invoke", "write", 3));
    expect(readFileSync(path, "utf8").split("\n").length).toBe(2); // on disk before close
    w.append({ ...op(1, 1, "ok", "write", 3), key: "k" });
    w.close();
    const h = await readHistory(path);
    expect(h.format).toBe("jsonl");
    expect(h.ops).toEqual([op(0, 1, "invoke", "write", 3), { ...op(1, 1, "ok", "write", 3), key: "k" }]);
  });

  it("names the line and field of a malformed JSONL op", async () => {
    const path = file("bad.jsonl", '{"process":1,"type":"invoke","f":"read","value":null}\n\n{"process":1,"type":"done","f":"read"}\n');
    await expect(readHistory(path)).rejects.toThrow(/line 3, field "type"/);
    await expect(readHistory(file("x.jsonl", '{"process":1,\n'))).rejects.toThrow(/line 1: not valid JSON/);
  });

  it("reads Knossos EDN: collections, comments, commas, keywords, nemesis", async () => {
    const path = file(
      "h.edn",
      `; a comment with ] and {
(
{:process 0, :type :invoke, :f :cas, :value [1 2]}
 {:process :nemesis :type :info :f :start :value nil}
{:process 0, :type :fail, :f :cas, :value [1 2] :error [:timeout nil]}
)`,
    );
    const h = await readHistory(path);
    expect(h.format).toBe("edn");
    expect(h.ops.map((o) => [o.process, o.type, o.f, o.value])).toEqual([
      [0, "invoke", "cas", [1, 2]],
      ["nemesis", "info", "start", null],
      [0, "fail", "cas", [1, 2]],
    ]);
    expect(h.lines).toEqual([3, 4, 5]);
    expect(h.ops[2].error).toBe('["timeout",null]');
  });

  it("splits Jepsen independent [k v] tuples into key and value", async () => {
    const path = file(
      "i.edn",
      `[{:process 0 :type :invoke :f :write :value [7 3]}
{:process 0 :type :ok :f :write :value [7 3]}
{:process 1 :type :invoke :f :cas :value [8 [3 4]]}
{:process 1 :type :ok :f :read :value #jepsen.independent.Tuple{:key 8 :value 4}}]`,
    );
    const h = await readHistory(path);
    expect(h.ops.map((o) => [o.key, o.value])).toEqual([
      ["7", 3],
      ["7", 3],
      ["8", [3, 4]],
      ["8", 4],
    ]);
    const plain = await readHistory(file("c.edn", "[{:process 0 :type :invoke :f :cas :value [1 2]}]"));
    expect(plain.ops[0].key).toBeUndefined();
  });

  it("reads Jepsen 0.3's tagged op records as their maps, whatever the file is called", async () => {
    const path = file(
      "history",
      `#jepsen.history.Op{:index 0, :time 5, :type :invoke, :process 0, :f :write, :value 3}
#jepsen.history.Op{:index 1, :time 9, :type :ok, :process 0, :f :write, :value 3}`,
    );
    const h = await readHistory(path);
    expect(h.format).toBe("edn");
    expect(h.ops.map((o) => [o.time, o.type, o.f, o.value])).toEqual([
      [5, "invoke", "write", 3],
      [9, "ok", "write", 3],
    ]);
  });

  it("reports a malformed EDN op with its line", async () => {
    await expect(readHistory(file("b.edn", "[{:process 0 :type :invoke :f :read}\n {:process 0 :type :ok :f}]"))).rejects.toThrow(/line 2/);
    await expect(readHistory(file("u.edn", "[{:process 0 :type :invoke :f :read :value nil}"))).rejects.toThrow(/not closed/);
  });

  it("reads Porcupine's etcd log (tabs or spaces) and kv log", async () => {
    const etcd = file(
      "e.log",
      "INFO  jepsen.util - 3\t:invoke\t:cas\t[1 2]\nINFO  jepsen.util - 3   :info  :cas   :timed-out\nINFO  jepsen.util - 4 :invoke :read nil\nINFO  jepsen.util - 4 :fail :read :timed-out\n",
    );
    const h = await readHistory(etcd);
    expect(h.format).toBe("porcupine-etcd");
    expect(h.ops.map((o) => [o.process, o.type, o.f, o.value])).toEqual([
      [3, "invoke", "cas", [1, 2]],
      [3, "info", "cas", null],
      [4, "invoke", "read", null],
      [4, "info", "read", null],
    ]);
    await expect(readHistory(file("e2.log", "INFO  jepsen.util - x :invoke :read nil\n"))).rejects.toThrow(/line 1, field "process"/);
    const kv = file(
      "k.txt",
      '{:process 2, :type :invoke, :f :get, :key "0", :value nil}\n{:process 2, :type :ok, :f :get, :key "0", :value ""}\n',
    );
    expect(detectFormat(kv)).toBe("porcupine-kv");
    expect((await readHistory(kv)).ops[1]).toMatchObject({ key: "0", value: "" });
  });

  it("detects JSONL with any whitespace between the brace and the first key", () => {
    for (const [name, gap] of [
      ["s.jsonl.txt", " "],
      ["t.jsonl.txt", "\t"],
      ["u.jsonl.txt", "   "],
    ] as const) {
      expect(detectFormat(file(name, `{${gap}"process": 0, "type": "invoke", "f": "read", "value": null}\n`))).toBe("jsonl");
    }
  });

  it("a missing file is an input error", async () => {
    await expect(readHistory(join(dir, "missing.jsonl"))).rejects.toBeInstanceOf(InputError);
  });

  it("a folder is an input error, with or without --format", async () => {
    await expect(readHistory(dir)).rejects.toBeInstanceOf(InputError);
    await expect(readHistory(dir, "jsonl")).rejects.toThrow(/cannot read .*EISDIR/);
  });
});

describe("pairing", () => {
  it("pairs by process, drops fail, keeps info and trailing invokes as unknown", () => {
    const ops = pairOperations([
      op(0, 1, "invoke", "write", 1),
      op(1, 2, "invoke", "write", 2),
      op(2, 1, "ok", "write", 1),
      op(3, 2, "fail", "write", 2),
      op(4, 3, "invoke", "read", null),
      op(5, 4, "invoke", "write", 5),
      op(6, 4, "info", "write", 5),
    ]);
    expect(ops.map((o) => [o.process, o.known, o.invoke, o.complete])).toEqual([
      [1, true, 0, 2],
      [3, false, 4, Infinity],
      [4, false, 5, Infinity],
    ]);
  });

  it("rejects a completion without an invoke, and an invoke over an open one", () => {
    expect(() => pairOperations([op(0, 1, "ok", "read", 1)])).toThrow(/no matching invoke/);
    expect(() => pairOperations([op(0, 1, "invoke", "read", null), op(1, 1, "invoke", "read", null)], (i) => `line ${i + 1}`)).toThrow(
      /line 2: process 1 invokes read while its read from line 1/,
    );
  });

  it("strict: rejects a completion of another f, or one earlier than its invocation, naming the field", () => {
    expect(() => pairOperations([op(0, 1, "invoke", "read", null), op(1, 1, "ok", "write", 1)])).toThrow(
      /op 1, field "f": completes write but process 1 invoked read at op 0/,
    );
    const early = { ...op(1, 1, "ok", "read", 1), time: -5 };
    expect(() => pairOperations([op(0, 1, "invoke", "read", null), early])).toThrow(
      /op 1, field "time": completes before its invocation at op 0/,
    );
  });

  it("lenient: the same malformed history is counted, never thrown, and the rest still pairs", () => {
    const pairing = new Pairing();
    const history = [
      op(0, 1, "ok", "read", 1), // orphan
      op(1, 1, "invoke", "read", null),
      op(2, 1, "invoke", "write", 2), // overlaps the read, whose outcome is now unknown
      op(3, 1, "ok", "write", 2),
      op(4, 2, "invoke", "read", null), // never completes
      op(5, NEMESIS_PROCESS, "info", "kill", null),
    ];
    const completed = history.map((o, i) => pairing.push(o, i)).filter((x) => x !== undefined);
    expect(completed.map((x) => x.index)).toEqual([2]);
    expect([pairing.orphans, pairing.overlapped, pairing.unfinished().length]).toEqual([1, 1, 1]);
  });
});
