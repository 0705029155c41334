import { InputError } from "../../../src/history/input-error.js";
import { UNKNOWN, sameValue, show, unknownF, type Model, type ModelSpec } from "../model.js";

type Items = readonly unknown[];

/** A FIFO queue: enqueue x; dequeue returns the head, or nil when empty. */
export const queue: ModelSpec = {
  name: "queue",
  summary: "a FIFO queue: enqueue x; dequeue returns the oldest element, nil when empty",
  make(initial: unknown = []) {
    if (!Array.isArray(initial)) throw new InputError(`queue: --initial must be a JSON array, got ${show(initial)}`);
    const model: Model<Items> = {
      name: "queue",
      init: () => initial,
      validate: (op) => (op.f === "enqueue" || op.f === "dequeue" ? undefined : unknownF("queue", "enqueue and dequeue", op.f)),
      step(s, op, out) {
        if (op.f === "enqueue") return [...s, op.value];
        if (s.length === 0) return out === UNKNOWN || out === null || out === undefined ? s : undefined;
        // An unknown dequeue that took effect removed the head, whatever it returned.
        return out === UNKNOWN || sameValue(out, s[0]) ? s.slice(1) : undefined;
      },
      describe: (s) => (s.length === 0 ? "the queue is empty" : `the queue holds ${s.map(show).join(", ")} (head first)`),
    };
    return model;
  },
};
