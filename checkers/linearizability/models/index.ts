import { InputError } from "../../../src/history/input-error.js";
import type { Model, ModelSpec } from "../model.js";
import { fencing } from "./fencing.js";
import { kv, kvUnpartitioned } from "./kv.js";
import { multiRegister } from "./multi-register.js";
import { mutex } from "./mutex.js";
import { queue } from "./queue.js";
import { casRegister, etcd, register } from "./register.js";
import { set } from "./set.js";

const SPECS: readonly ModelSpec[] = [register, casRegister, kv, kvUnpartitioned, multiRegister, mutex, fencing, set, queue, etcd];

export const MODEL_NAMES: readonly string[] = SPECS.map((s) => s.name);

export function modelSpecs(): readonly ModelSpec[] {
  return SPECS;
}

/** The model called `name`, started from `initial` (undefined: the model's default). */
export function makeModel(name: string, initial?: unknown): Model<unknown> {
  const spec = SPECS.find((s) => s.name === name);
  if (spec === undefined) {
    throw new InputError(`unknown model ${JSON.stringify(name)}; known models: ${MODEL_NAMES.join(", ")}`);
  }
  return spec.make(initial);
}
