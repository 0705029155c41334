import { describe, expect, it } from "vitest";
import type { History, Op } from "../../src/history/op.js";
import { checkHistory } from "./check.js";

function history(rows: Array<[number | string, Op["type"], string, unknown]>): History {
  return rows.map(([process, type, f, value], index) => ({ index, time: index, process, type, f, value }));
}

const verdict = async (h: History, model = "register") => (await checkHistory(h, { model, workers: 0 })).result.valid;

describe("info and fail", () => {
  it("an info write that later becomes visible is linearizable", async () => {
    const h = history([
      [1, "invoke", "write", 1],
      [1, "info", "write", 1],
      [2, "invoke", "read", null],
      [2, "ok", "read", 1],
    ]);
    expect(await verdict(h)).toBe(true);
  });

  it("an info write that is never visible is acceptable too", async () => {
    const h = history([
      [1, "invoke", "write", 1],
      [1, "info", "write", 1],
      [2, "invoke", "read", null],
      [2, "ok", "read", null],
    ]);
    expect(await verdict(h)).toBe(true);
  });

  it("an info write can take effect late, after later ops, but not before its invoke", async () => {
    const late = history([
      [1, "invoke", "write", 1],
      [1, "info", "write", 1],
      [2, "invoke", "read", null],
      [2, "ok", "read", null],
      [3, "invoke", "read", null],
      [3, "ok", "read", 1],
    ]);
    expect(await verdict(late)).toBe(true);
    const early = history([
      [2, "invoke", "read", null],
      [2, "ok", "read", 1],
      [1, "invoke", "write", 1],
      [1, "info", "write", 1],
    ]);
    expect(await verdict(early)).toBe(false);
  });

  it("a fail op certainly did not happen", async () => {
    const h = history([
      [1, "invoke", "write", 1],
      [1, "fail", "write", 1],
      [2, "invoke", "read", null],
      [2, "ok", "read", 1],
    ]);
    expect(await verdict(h)).toBe(false);
  });

  it("a trailing invoke counts as info", async () => {
    const h = history([
      [1, "invoke", "write", 1],
      [2, "invoke", "read", null],
      [2, "ok", "read", 1],
    ]);
    expect(await verdict(h)).toBe(true);
  });

  it("nemesis ops are not operations", async () => {
    const h = history([
      ["nemesis", "info", "start-partition", null],
      [1, "invoke", "write", 1],
      [1, "ok", "write", 1],
      ["nemesis", "info", "stop-partition", null],
    ]);
    expect(await verdict(h)).toBe(true);
  });
});
