import { describe, expect, it } from "vitest";
import { InputError } from "../../src/history/input-error.js";
import type { History, Op } from "../../src/history/op.js";
import { CHECKER_NAMES, checkerNamed, inferChecker, runChecker } from "./index.js";

/** Each value an invoke then an ok, one process each. */
function history(f: string, values: unknown[]): History {
  return values.flatMap((value, p): Op[] => [
    { index: 2 * p, time: 2 * p, process: p, type: "invoke", f, value },
    { index: 2 * p + 1, time: 2 * p + 1, process: p, type: "ok", f, value },
  ]);
}

describe("checker registry", () => {
  it("infers the checker from the ops", () => {
    expect(inferChecker(history("broadcast", ["a"]), "jsonl")).toBe("total-order");
    expect(inferChecker(history("final-deliveries", [["a"]]), "jsonl")).toBe("total-order");
    expect(
      inferChecker(
        history("txn", [
          [
            ["append", 1, 1],
            ["r", 1, [1]],
          ],
        ]),
        "edn",
      ),
    ).toBe("elle-list-append");
    expect(
      inferChecker(
        history("txn", [
          [
            ["w", "x", 1],
            ["r", "y", null],
          ],
        ]),
        "edn",
      ),
    ).toBe("elle-rw-register");
    expect(inferChecker(history("txn", [[["r", 1, [1, 2]]]]), "edn")).toBe("elle-list-append");
    expect(inferChecker(history("txn", [[["r", 1, 2]]]), "edn")).toBe("elle-rw-register");
    expect(
      inferChecker(
        history("txn", [
          [
            ["read", "x", null],
            ["write", "y", 1],
          ],
        ]),
        "jsonl",
      ),
    ).toBe("linearizable");
    expect(inferChecker(history("write", [1]), "jsonl")).toBe("linearizable");
    expect(inferChecker([], "jsonl")).toBe("linearizable");
  });

  it("resolves names and aliases, and lists the names for an unknown one", () => {
    expect(checkerNamed("linearizability").name).toBe("linearizable");
    expect(checkerNamed("rw-register").name).toBe("elle-rw-register");
    expect(checkerNamed("elle", history("txn", [[["w", "x", 1]]])).name).toBe("elle-rw-register");
    expect(checkerNamed("elle", history("txn", [[["append", "x", 1]]])).name).toBe("elle-list-append");
    expect(() => checkerNamed("knossos")).toThrow(InputError);
    expect(() => checkerNamed("knossos")).toThrow(`unknown checker "knossos"; known checkers: ${CHECKER_NAMES.join(", ")}`);
  });

  it("refuses a history with no op the checker reads, naming the first op's line and field", async () => {
    const input = { ops: history("write", [1]), format: "jsonl" as const, lines: [3, 4], name: "h.jsonl" };
    await expect(runChecker(checkerNamed("total-order"), input, { timeoutMs: 1000, title: "t" })).rejects.toThrow(
      /^h\.jsonl line 3, field "f": the total-order checker reads ops with f = broadcast \| deliveries \| final-deliveries; this history has f = write/,
    );
  });

  it("re-words a shape error with the op's line and field", async () => {
    const ops = history("broadcast", ["a"]);
    ops[1].value = { seq: 0 };
    const input = { ops, format: "jsonl" as const, lines: [7, 9], name: "h.jsonl" };
    await expect(runChecker(checkerNamed("total-order"), input, { timeoutMs: 1000, title: "t" })).rejects.toThrow(
      /^h\.jsonl line 9, field "value": total-order: broadcast ok value needs `seq`/,
    );
  });
});
