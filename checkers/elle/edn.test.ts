/** Jepsen EDN histories of both workloads, the workload guess, and bad input naming line and field. */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/history/input-error.js";
import { checkElleSource, elleWorkloadOf, parseElleEdn } from "./index.js";

const listAppend = `[{:type :invoke, :f :txn, :value [[:append 5 1] [:r 5 nil]], :process 0, :time 10, :index 0}
 {:type :invoke, :f :txn, :value [[:r 5 nil]], :process 1, :time 11, :index 1}
 {:type :ok, :f :txn, :value [[:append 5 1] [:r 5 [1]]], :process 0, :time 20, :index 2}
 {:type :ok, :f :txn, :value [[:r 5 [1 2]]], :process 1, :time 21, :index 3}
 {:type :info, :f :start-partition, :value nil, :process :nemesis, :time 30, :index 4}]`;

describe("elle EDN histories", () => {
  it("reads a Jepsen list-append history, keywords as strings", () => {
    const { ops, lines } = parseElleEdn(listAppend, "h.edn");
    expect(ops[2]).toMatchObject({
      index: 2,
      process: 0,
      type: "ok",
      f: "txn",
      value: [
        ["append", 5, 1],
        ["r", 5, [1]],
      ],
    });
    expect(ops[4]).toMatchObject({ process: "nemesis", f: "start-partition" });
    expect(lines).toEqual([1, 2, 3, 4, 5]);
    expect(elleWorkloadOf(ops)).toBe("list-append");
    // 2 was never appended
    const result = checkElleSource({ ops, lines }, "h.edn");
    expect(result["anomaly-types"]).toEqual(["garbage-read"]);
  });

  it("reads Jepsen 0.3's tagged op records", () => {
    const text = `#jepsen.history.Op{:index 0, :time 1, :type :invoke, :process 0, :f :txn, :value [[:append :x 1]]}
#jepsen.history.Op{:index 1, :time 2, :type :ok, :process 0, :f :txn, :value [[:append :x 1]]}`;
    const { ops } = parseElleEdn(text, "t.edn");
    expect(ops.map((op) => [op.type, op.value])).toEqual([
      ["invoke", [["append", "x", 1]]],
      ["ok", [["append", "x", 1]]],
    ]);
  });

  it("reads an rw-register history of completions only, without processes, as Elle's tests write them", () => {
    const text = `{:type :ok, :value [[:w :x 1] [:w :y 1]]}
{:type :ok, :value [[:r :x nil] [:r :y 1]]}`;
    const source = parseElleEdn(text, "r.edn");
    expect(source.ops.map((op) => op.type)).toEqual(["invoke", "invoke", "ok", "ok"]);
    expect(source.lines).toEqual([1, 2, 1, 2]);
    expect(elleWorkloadOf(source.ops)).toBe("rw-register");
    // the second txn saw y from the first but not x: G-single; completions only, so no real-time claim between them
    const result = checkElleSource(source, "r.edn");
    expect(result["anomaly-types"]).toEqual(["G-single"]);
    expect(result.valid).toBe(false);
  });

  it("takes a list-append read of nil as the empty list, as Elle does", () => {
    const text = `{:type :ok, :value [[:append 9 2]]}
{:type :ok, :value [[:append 8 1] [:r 9 nil]]}
{:type :ok, :value [[:r 8 nil] [:r 9 [2]]]}`;
    const result = checkElleSource(parseElleEdn(text, "n.edn"), "n.edn", { consistencyModels: ["serializable"] });
    // T2 missed T1's 2, T3 missed T2's 1 but saw T1's 2: T2 < T1 < T3 < T2, two rw edges in a row
    expect(result["anomaly-types"]).toEqual(["G2-item"]);
    expect(checkElleSource(parseElleEdn(text, "n.edn"), "n.edn", { consistencyModels: ["snapshot-isolation"] }).valid).toBe(true);
  });

  it("pairs ops without :process in order, as one process", () => {
    const text = `{:index 0 :type :invoke :value [[:append 1 1]]}
{:index 1 :type :ok :value [[:append 1 1]]}
{:index 2 :type :invoke :value [[:r 1 nil]]}
{:index 3 :type :ok :value [[:r 1 []]]}
{:index 4 :type :invoke :value [[:r 1 nil]]}
{:index 5 :type :ok :value [[:r 1 [1]]]}`;
    const result = checkElleSource(parseElleEdn(text, "p.edn"), "p.edn");
    expect(result["anomaly-types"]).toEqual(["G-single-realtime"]);
  });

  const bad: [string, string, RegExp][] = [
    ["a type that is no op type", `{:type :done, :f :txn, :value []}`, /b\.edn line 1, field :type: expected :invoke/],
    ["a float process", `{:type :ok, :f :txn, :value [], :process 1.5}`, /line 1, field :process/],
    ["a time that is no number", `{:type :ok, :f :txn, :value [], :time "x"}`, /line 1, field :time/],
    ["broken EDN", `{:type :ok :value [}`, /b\.edn line 1/],
  ];
  for (const [name, text, message] of bad) {
    it(`rejects ${name}, naming line and field`, () => {
      expect(() => parseElleEdn(text, "b.edn")).toThrow(InputError);
      expect(() => parseElleEdn(text, "b.edn")).toThrow(message);
    });
  }

  it("names the line of a micro-op the checker rejects", () => {
    const text = `{:type :ok, :f :txn, :value [[:append 1 1]]}

{:type :ok, :f :txn, :value [[:append 1 "x" 3]]}`;
    expect(() => checkElleSource(parseElleEdn(text, "m.edn"), "m.edn")).toThrow(/m\.edn line 3 \(op \d+\): .*micro-op 0/);
  });

  it("rejects a history mixing appends and register writes, naming the line", () => {
    const text = `{:type :ok, :value [[:append 1 1]]}
{:type :ok, :value [[:w 1 1]]}`;
    expect(() => checkElleSource(parseElleEdn(text, "x.edn"), "x.edn")).toThrow(/x\.edn line 2, field "value": a register write/);
  });
});
