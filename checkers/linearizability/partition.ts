import { InputError } from "../../src/history/input-error.js";
import type { Locate, Operation } from "../../src/history/pair.js";
import type { Model } from "./model.js";

/**
 * An independent sub-history: its ops (by invocation) and, when split by
 * footprint, the parts of the state it owns. Plain data, so it can cross to a
 * worker thread; the model there rebuilds the initial state (partitionInitial).
 */
export interface Partition {
  name: string;
  ops: Operation[];
  parts?: string[];
}

export function partitionInitial(model: Model, p: Partition): unknown {
  return p.parts !== undefined && model.project ? model.project(model.init(), p.parts) : model.init();
}

const WHOLE = "(all)";

/** Rejects ops the model cannot take, and drops unknown-outcome ops that cannot change state. */
export function prepare(model: Model, ops: Operation[], locate: Locate): Operation[] {
  const kept: Operation[] = [];
  for (const op of ops) {
    const problem = model.validate(op);
    if (problem !== undefined) throw new InputError(`${locate(op.invoke, problem.field)}: model ${model.name}: ${problem.text}`);
    if (!op.known && model.readOnly?.(op)) continue;
    kept.push(op);
  }
  return kept;
}

function byPartitionKey(model: Model, ops: Operation[]): Map<string, Operation[]> {
  const groups = new Map<string, Operation[]>();
  for (const op of ops) {
    const key = (model.partition ? model.partition(op) : op.key) ?? WHOLE;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = []));
    group.push(op);
  }
  return groups;
}

/**
 * Splits a partition whose state is a product of parts by the connected
 * components of its ops' footprints (union-find): ops in different components
 * touch disjoint parts, so by locality each component is checked alone.
 */
function byFootprint(model: Model, name: string, ops: Operation[]): Partition[] {
  const { footprint, project } = model;
  if (footprint === undefined || project === undefined) return [{ name, ops }];
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    for (let hop = 0; hop <= parent.size; hop++) {
      const up = parent.get(root) ?? root;
      if (up === root) break;
      root = up;
    }
    parent.set(x, root);
    return root;
  };
  const prints = ops.map((op) => footprint.call(model, op));
  for (const parts of prints) {
    for (const part of parts) if (!parent.has(part)) parent.set(part, part);
    for (let k = 1; k < parts.length; k++) parent.set(find(parts[k]), find(parts[0]));
  }
  const groups = new Map<string, Operation[]>();
  ops.forEach((op, i) => {
    const root = prints[i].length === 0 ? WHOLE : find(prints[i][0]);
    let group = groups.get(root);
    if (group === undefined) groups.set(root, (group = []));
    group.push(op);
  });
  const membersOf = new Map<string, string[]>();
  for (const part of parent.keys()) {
    const root = find(part);
    let members = membersOf.get(root);
    if (members === undefined) membersOf.set(root, (members = []));
    members.push(part);
  }
  return [...groups.entries()].map(([root, group]) => {
    const parts = (membersOf.get(root) ?? []).sort();
    const label = parts.length === 0 ? WHOLE : parts.join("+");
    return { name: name === WHOLE ? label : `${name}/${label}`, ops: group, parts };
  });
}

export function partitionOps(model: Model, ops: Operation[], decompose: boolean): Partition[] {
  const out: Partition[] = [];
  for (const [name, group] of byPartitionKey(model, ops)) {
    if (decompose) out.push(...byFootprint(model, name, group));
    else out.push({ name, ops: group });
  }
  return out;
}
