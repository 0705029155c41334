/**
 * Finds and classifies dependency cycles.
 *
 * One Tarjan pass over the whole graph finds the strongly connected
 * components; a valid history has none with more than one node, and costs no
 * more. Each cyclic component is then searched with growing edge sets, so the
 * most specific anomaly is named (Adya's, as Elle names them):
 *   ww only                          G0
 *   ww + wr                          G1c
 *   one rw, the way back by ww + wr  G-single (searched from each rw edge)
 *   ww + wr + rw                     G2-item (two or more rw)
 *   the same with process / real-time edges: G0-realtime, G-single-process, ...
 * Cycle length counts txns (time nodes are free), and each search keeps the
 * shortest cycle it finds through a few start nodes or rw edges.
 */
import type { Anomalies } from "./anomalies.js";
import { ALL_EDGES, DEPENDENCIES, LABEL_PRIORITY, PROCESS, REALTIME, RW, WR, WW, endRow, firstRow, kindsBetween, subgraph, type Graph, type Subgraph } from "./graph.js";
import { cyclicComponents, isAcyclic, shortestCycleThrough, shortestPath } from "./scc.js";

export interface CycleOptions {
  /** start nodes tried per component for the shortest cycle */
  startsMax: number;
  /** rw edges tried per component for a single-rw cycle */
  rwTriesMax: number;
  /** nodes visited by the single-rw searches of one component, at most (each try is a BFS) */
  rwVisitsMax: number;
}

const SESSION = PROCESS | REALTIME;

/** Describes a cycle of txns whose step i, from cycle[i] to the next, has kind labels[i]. */
export type ExplainCycle = (cycle: number[], labels: number[]) => Record<string, unknown>;

/** `room`: spare ints the acyclicity test may use (see isAcyclic). Txns are the graph ids below txnCount. */
export function findCycles(graph: Graph, txnCount: number, explain: ExplainCycle, anomalies: Anomalies, opts: CycleOptions, room: Int32Array): number {
  if (isAcyclic(graph, room)) return 0;
  const components = cyclicComponents(graph);
  const scratch = new Int32Array(graph.nodeCount).fill(-1);
  for (const component of components) {
    const reported = new Set<string>();
    const report = (found: number[] | undefined, mask: number): void => {
      if (found === undefined) return;
      const { cycle, viaTime } = withoutTimeNodes(found, txnCount);
      const labels = cycle.map((u, i) => (viaTime[i] ? REALTIME : label(kindsBetween(graph, u, cycle[(i + 1) % cycle.length]) & mask)));
      const type = classify(labels);
      const id = `${type} ${[...cycle].sort((a, b) => a - b).join(",")}`;
      if (reported.has(id)) return;
      reported.add(id);
      anomalies.add(type, () => explain(cycle, labels));
    };
    // a huge component gets fewer single-rw tries: each one is a BFS over all of it
    const rwTries = Math.max(1, Math.min(opts.rwTriesMax, Math.floor(opts.rwVisitsMax / component.length)));
    for (const nodes of cyclicSubcomponents(graph, component, WW, scratch)) report(shortestCycle(graph, nodes, WW, scratch, opts.startsMax), WW);
    for (const nodes of cyclicSubcomponents(graph, component, WW | WR, scratch)) report(shortestCycle(graph, nodes, WW | WR, scratch, opts.startsMax), WW | WR);
    for (const nodes of cyclicSubcomponents(graph, component, DEPENDENCIES, scratch)) {
      report(singleRwCycle(graph, nodes, WW | WR, scratch, rwTries), DEPENDENCIES);
      report(shortestCycle(graph, nodes, DEPENDENCIES, scratch, opts.startsMax), DEPENDENCIES);
    }
    for (const nodes of cyclicSubcomponents(graph, component, WW | WR | SESSION, scratch)) {
      report(shortestCycle(graph, nodes, WW | WR | SESSION, scratch, opts.startsMax), WW | WR | SESSION);
    }
    report(singleRwCycle(graph, component, WW | WR | SESSION, scratch, rwTries), ALL_EDGES);
    report(shortestCycle(graph, component, ALL_EDGES, scratch, opts.startsMax), ALL_EDGES);
  }
  return components.length;
}

/** The cyclic components of the subgraph on `nodes` with edges of `mask`, in graph ids. */
function cyclicSubcomponents(graph: Graph, nodes: Int32Array, mask: number, scratch: Int32Array): Int32Array[] {
  const sub = subgraph(graph, nodes, mask, scratch);
  return cyclicComponents(sub).map((c) => c.map((i) => sub.txnOf[i]));
}

function shortestCycle(graph: Graph, nodes: Int32Array, mask: number, scratch: Int32Array, startsMax: number): number[] | undefined {
  const sub = subgraph(graph, nodes, mask, scratch);
  let best: number[] | undefined;
  for (let start = 0; start < Math.min(startsMax, sub.nodeCount); start++) {
    const cycle = shortestCycleThrough(sub, start);
    if (cycle !== undefined && (best === undefined || txnsIn(sub, cycle) < txnsIn(sub, best))) best = cycle;
  }
  return best?.map((i) => sub.txnOf[i]);
}

/** A cycle with one rw edge a -> b and a way back from b to a over `pathMask` edges. */
function singleRwCycle(graph: Graph, nodes: Int32Array, pathMask: number, scratch: Int32Array, triesMax: number): number[] | undefined {
  const sub = subgraph(graph, nodes, pathMask, scratch);
  for (let i = 0; i < nodes.length; i++) scratch[nodes[i]] = i;
  let best: number[] | undefined;
  let tries = 0;
  for (let a = 0; a < nodes.length && tries < triesMax; a++) {
    const v = nodes[a];
    for (let row = firstRow(graph, v); row < endRow(graph, v) && tries < triesMax; row++) {
      const b = scratch[graph.targets[row]];
      if ((graph.kinds[row] & RW) === 0 || b < 0) continue;
      tries++;
      const path = shortestPath(sub, b, a);
      if (path !== undefined && (best === undefined || txnsIn(sub, path) + 1 < txnsIn(sub, best))) best = [a, ...path];
    }
  }
  for (let i = 0; i < nodes.length; i++) scratch[nodes[i]] = -1;
  return best?.map((i) => nodes[i]);
}

function txnsIn(graph: Subgraph, path: number[]): number {
  let count = 0;
  for (const v of path) if (graph.txnOf[v] < graph.timeFrom) count++;
  return count;
}

/**
 * The cycle's txns (ids below txnCount), in order; viaTime[i] tells that the
 * step from cycle[i] to the next went through time nodes (./session.ts).
 */
function withoutTimeNodes(found: number[], txnCount: number): { cycle: number[]; viaTime: boolean[] } {
  const start = found.findIndex((v) => v < txnCount); // the time chain alone is acyclic: a txn is there
  const cycle: number[] = [];
  const viaTime: boolean[] = [];
  for (let k = 1; k <= found.length; k++) {
    const v = found[(start + k) % found.length];
    if (v >= txnCount) {
      viaTime[cycle.length] = true;
      continue;
    }
    viaTime[cycle.length] ??= false;
    cycle.push(v);
  }
  // so far viaTime[i] tells how the walk arrived at cycle[i]; the step leaving cycle[i] is the next arrival
  viaTime.push(viaTime.shift()!);
  return { cycle, viaTime };
}

/** Labels an edge with its most telling kind: dependencies before session order. */
function label(kinds: number): number {
  for (const kind of LABEL_PRIORITY) if ((kinds & kind) !== 0) return kind;
  throw new Error(`elle: cycle edge without a kind in the mask (${kinds})`);
}

export function classify(labels: number[]): string {
  const rw = labels.filter((l) => l === RW).length;
  const wr = labels.filter((l) => l === WR).length;
  const base = rw === 0 ? (wr === 0 ? "G0" : "G1c") : rw === 1 ? "G-single" : "G2-item";
  if (labels.includes(REALTIME)) return `${base}-realtime`;
  if (labels.includes(PROCESS)) return `${base}-process`;
  return base;
}
