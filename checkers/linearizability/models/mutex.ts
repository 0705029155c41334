import { InputError } from "../../../src/history/input-error.js";
import { show, unknownF, type Model, type ModelSpec } from "../model.js";

/** A lock: acquire is legal iff it is free, release iff it is held. */
export const mutex: ModelSpec = {
  name: "mutex",
  summary: "a lock, initially unlocked: acquire legal iff free, release iff held",
  make(initial: unknown = false) {
    if (initial !== true && initial !== false && initial !== "locked" && initial !== "unlocked") {
      throw new InputError(`mutex: --initial must be false/"unlocked" or true/"locked", got ${show(initial)}`);
    }
    const held = initial === true || initial === "locked";
    const model: Model<boolean> = {
      name: "mutex",
      init: () => held,
      validate: (op) => (op.f === "acquire" || op.f === "release" ? undefined : unknownF("mutex", "acquire and release", op.f)),
      step: (s, op) => (op.f === "acquire" ? (s ? undefined : true) : s ? false : undefined),
      describe: (s) => (s ? "the lock is held" : "the lock is free"),
    };
    return model;
  },
};
