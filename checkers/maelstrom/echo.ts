/** echo: every ok reply carries exactly the text its request sent. */
import type { Checker } from "../checker.js";
import { pairs, sample } from "./ops.js";

export const echoChecker: Checker = {
  name: "echo",
  async check(history) {
    const ops = pairs("echo", history).filter((p) => p.f === "echo");
    const wrong = ops.filter((p) => p.type === "ok" && p.done?.value !== p.invoke.value);
    return {
      valid: wrong.length === 0,
      ok: ops.filter((p) => p.type === "ok").length,
      "wrong-count": wrong.length,
      wrong: sample(wrong).map((p) => ({ index: p.done?.index, sent: p.invoke.value, got: p.done?.value })),
    };
  },
};
