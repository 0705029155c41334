/**
 * Consistency models over Elle's lattice (./lattice.ts): which anomalies a
 * set of models prohibits, and which models a set of anomalies rules out,
 * reported as Elle does: `not` (the weakest models ruled out) and `also-not`
 * (the stronger ones they drag along).
 */
import { InputError } from "../../src/history/input-error.js";
import { CANONICAL, IMPLIED_ANOMALIES, MODELS, PROSCRIBED } from "./lattice.js";

type Graph = Map<string, string[]>;

const canonical = (model: string): string => CANONICAL[model] ?? model;

/** The friendly name of a canonical one (PL-3 is "serializable", PL-SS "strict-serializable"). */
const FRIENDLY = new Map<string, string>([
  ...Object.entries(CANONICAL).map(([friendly, name]) => [name, friendly] as [string, string]),
  ["PL-3", "serializable"],
  ["PL-SS", "strict-serializable"],
]);
const friendly = (model: string): string => FRIENDLY.get(model) ?? model;

function graphOf(record: Record<string, string[]>, name: (x: string) => string): { out: Graph; into: Graph } {
  const out: Graph = new Map();
  const into: Graph = new Map();
  const link = (graph: Graph, a: string, b: string): void => {
    const list = graph.get(a) ?? [];
    if (!list.includes(b)) list.push(b);
    graph.set(a, list);
  };
  for (const [a, bs] of Object.entries(record)) {
    for (const b of bs) {
      link(out, name(a), name(b));
      link(into, name(b), name(a));
    }
  }
  return { out, into };
}

const models = graphOf(MODELS, canonical);
const anomalies = graphOf(IMPLIED_ANOMALIES, (x) => x);
const proscribed = graphOf(Object.fromEntries(Object.entries(PROSCRIBED).map(([m, as]) => [canonical(m), as])), (x) => x);

/** Everything reachable from `start` (start included). The graphs are small DAGs. */
function reach(graph: Graph, start: Iterable<string>): Set<string> {
  const seen = new Set<string>(start);
  const queue = [...seen];
  for (let i = 0; i < queue.length; i++) {
    for (const next of graph.get(queue[i]) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return seen;
}

/** Every model name we know, friendly names included, sorted. */
export const KNOWN_MODELS: readonly string[] = [
  ...new Set([...Object.keys(CANONICAL), ...[...models.out.keys(), ...models.into.keys()].map(friendly)]),
].sort();

/**
 * The given models, each known; an unknown one is an input error listing the
 * known. Names stay as the user gave them, since results show them back.
 */
export function parseModels(names: readonly string[]): string[] {
  const known = new Set([...KNOWN_MODELS, ...models.out.keys(), ...models.into.keys()]);
  for (const name of names) {
    if (!known.has(name))
      throw new InputError(`unknown consistency model ${JSON.stringify(name)}; known models: ${KNOWN_MODELS.join(", ")}`);
  }
  return [...names];
}

/** The anomalies that must be absent for all of `modelNames` to hold. */
export function anomaliesProhibitedBy(modelNames: readonly string[]): Set<string> {
  const direct: string[] = [];
  for (const model of reach(models.out, parseModels(modelNames).map(canonical))) direct.push(...(proscribed.out.get(model) ?? []));
  return reach(anomalies.into, direct);
}

/** The models that cannot hold given these anomalies, canonical names. */
export function impossibleModels(found: Iterable<string>): Set<string> {
  const direct: string[] = [];
  for (const anomaly of reach(anomalies.out, found)) direct.push(...(proscribed.into.get(anomaly) ?? []));
  return reach(models.into, direct);
}

/**
 * Elle's boundary: `not` holds the weakest impossible models (none of them
 * implies another impossible one), `also-not` the rest. Friendly names, sorted.
 */
export function boundary(found: Iterable<string>): { not: string[]; "also-not": string[] } {
  const impossible = impossibleModels(found);
  const not: string[] = [];
  const alsoNot: string[] = [];
  for (const model of impossible) {
    const weaker = reach(models.out, [model]);
    weaker.delete(model);
    const implied = [...weaker].some((m) => impossible.has(m));
    (implied ? alsoNot : not).push(friendly(model));
  }
  return { not: not.sort(), "also-not": alsoNot.sort() };
}

/** Whether checking these models needs real-time or process edges (Elle's choice of graphs). */
export function sessionEdgesFor(prohibited: ReadonlySet<string>): { realtime: boolean; process: boolean } {
  const names = [...prohibited];
  const realtime = names.some((a) => a.endsWith("-realtime"));
  return { realtime, process: !realtime && names.some((a) => a.endsWith("-process")) };
}
