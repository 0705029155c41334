import { describe, expect, it } from "vitest";
import type { Op } from "../history/op.js";
import { recoveryChecker } from "./liveness.js";

/** [process, type, f] rows, 1 ms apart. */
const history = (rows: [number | string, Op["type"], string][]): Op[] =>
  rows.map(([process, type, f], index) => ({ index, time: index * 1e6, process, type, f, value: null }));

describe("recovery", () => {
  it("is valid when an op invoked after the final heal succeeds", async () => {
    const h = history([
      ["nemesis", "invoke", "kill"],
      ["nemesis", "info", "kill"],
      ["nemesis", "invoke", "restart"],
      ["nemesis", "info", "restart"],
      [0, "invoke", "write"],
      [0, "ok", "write"],
    ]);
    expect(await recoveryChecker.check(h)).toMatchObject({ valid: true, "ok-after-heal": 1 });
  });

  it("is invalid when every op after the heal fails: the cluster did not come back", async () => {
    const h = history([
      ["nemesis", "invoke", "stop-partition"],
      ["nemesis", "info", "stop-partition"],
      [0, "invoke", "write"],
      [0, "fail", "write"],
      [1, "invoke", "read"],
      [1, "info", "read"],
    ]);
    expect(await recoveryChecker.check(h)).toMatchObject({ valid: false, "anomaly-types": ["no-recovery"] });
  });

  it("counts neither a refused membership change (a nemesis fail: certainly not made) nor a closed one as in force", async () => {
    const h = history([
      ["nemesis", "invoke", "remove-member"],
      ["nemesis", "info", "remove-member"],
      ["nemesis", "invoke", "add-member"],
      ["nemesis", "info", "add-member"],
      ["nemesis", "invoke", "remove-member"],
      ["nemesis", "fail", "remove-member"],
      [0, "invoke", "write"],
      [0, "ok", "write"],
    ]);
    expect(await recoveryChecker.check(h)).toMatchObject({ valid: true, "ok-after-heal": 1 });
    const cut = history([
      ["nemesis", "invoke", "remove-member"],
      ["nemesis", "info", "remove-member"],
      [0, "invoke", "write"],
      [0, "ok", "write"],
    ]);
    expect(await recoveryChecker.check(cut)).toMatchObject({ valid: "unknown", reason: expect.stringContaining("membership in force") });
  });

  it("is unknown when the history stops with a fault in force (a run cut short)", async () => {
    const h = history([
      ["nemesis", "invoke", "kill"],
      ["nemesis", "info", "kill"],
      [0, "invoke", "write"],
      [0, "fail", "write"],
    ]);
    expect((await recoveryChecker.check(h)).valid).toBe("unknown");
  });
});
