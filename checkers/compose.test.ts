import { describe, expect, it } from "vitest";
import type { Checker, CheckResult } from "./checker.js";
import { InputError } from "../src/history/input-error.js";
import { compose } from "./compose.js";
import { worstVerdict } from "./verdict.js";
import { totalOrderChecker } from "./total-order/index.js";

const fixed = (valid: CheckResult["valid"]): Checker => ({ name: String(valid), check: async () => ({ valid, note: "fixed" }) });
const throwing = (error: Error): Checker => ({
  name: "throws",
  check: async () => {
    throw error;
  },
});

describe("compose", () => {
  it("takes the worst verdict: false over unknown over true", () => {
    expect(worstVerdict([])).toBe(true);
    expect(worstVerdict([true, true])).toBe(true);
    expect(worstVerdict([true, "unknown"])).toBe("unknown");
    expect(worstVerdict(["unknown", false, true])).toBe(false);
  });

  it("keeps every checker's output under its name", async () => {
    const result = await compose({ a: fixed(true), b: fixed("unknown"), c: fixed(false) }).check([]);
    expect(result).toEqual({
      valid: false,
      results: { a: { valid: true, note: "fixed" }, b: { valid: "unknown", note: "fixed" }, c: { valid: false, note: "fixed" } },
    });
  });

  it("turns a throwing checker into unknown with the error", async () => {
    const result = await compose({ ok: fixed(true), bad: throwing(new Error("boom")) }).check([]);
    expect(result.valid).toBe("unknown");
    expect((result.results as Record<string, CheckResult>).bad).toEqual({ valid: "unknown", error: "boom", errorName: "Error" });
  });

  it("reports a checker's bad-input error with the op's index, and false still wins", async () => {
    const history = [{ index: 0, time: 0, process: 0, type: "invoke" as const, f: "broadcast", value: 42 }];
    const result = await compose({ "total-order": totalOrderChecker(), other: fixed(false) }).check(history);
    expect(result.valid).toBe(false);
    expect((result.results as Record<string, CheckResult>)["total-order"]).toEqual({
      valid: "unknown",
      errorName: new InputError("").name,
      error: "total-order: op 0: broadcast invoke value must be the message string",
    });
  });
});
