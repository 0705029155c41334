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
 *   ww + wr + rw                     G2-item (two or more rw, two of them in a row),
 *                                    G-nonadjacent (two or more rw, never two in a row)
 *   the same with process / real-time edges: G0-realtime, G-single-process, ...
 * Cycle length counts txns (time nodes are free), and each search keeps the
 * shortest cycle it finds through a few start nodes or rw edges.
 */
import type { Anomalies } from "./anomalies.js";
import {
  ALL_EDGES,
  DEPENDENCIES,
  LABEL_PRIORITY,
  PROCESS,
  REALTIME,
  RW,
  WR,
  WW,
  kindsBetween,
  subgraph,
  type Graph,
  type Subgraph,
} from "./graph.js";
import { cyclicComponents, isAcyclic, shortestPath, topologicalPlaces } from "./scc.js";
import type { Workspace } from "./workspace.js";

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

/**
 * `room`: spare ints the acyclicity test may use (see isAcyclic), then
 * donated to `work`, where the search's arrays live. Txns are the graph ids
 * below txnCount.
 */
export function findCycles(
  graph: Graph,
  txnCount: number,
  explain: ExplainCycle,
  anomalies: Anomalies,
  opts: CycleOptions,
  room: Int32Array,
  work: Workspace,
): number {
  if (isAcyclic(graph, room)) return 0;
  work.donate(room);
  const components = cyclicComponents(graph, work);
  const scratch = work.int32("cycles.scratch", graph.nodeCount, -1);
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
    // one subgraph per component; each search below keeps to the edges of its mask
    const sub = subgraph(graph, component, ALL_EDGES, scratch, work);
    const found = (cycle: number[] | undefined): number[] | undefined => cycle?.map((i) => sub.txnOf[i]);
    const within = (mask: number, nodes?: ArrayLike<number>): Int32Array[] => cyclicComponents(sub, work, mask, nodes);
    // a cycle of ww (+ wr) edges lies within a component of all dependency edges: often none is
    // left, and the searches below keep to those (a component of real-time cycles is large)
    const dependencyComponents = within(DEPENDENCIES);
    const inDependencyCycles = concatenated(dependencyComponents);
    for (const nodes of within(WW, inDependencyCycles)) report(found(shortestCycle(sub, nodes, WW, opts.startsMax, work)), WW);
    for (const nodes of within(WW | WR, inDependencyCycles))
      report(found(shortestCycle(sub, nodes, WW | WR, opts.startsMax, work)), WW | WR);
    for (const nodes of dependencyComponents) {
      report(found(singleRwCycle(sub, nodes, WW | WR, rwTries, work)), DEPENDENCIES);
      report(found(shortestCycle(sub, nodes, DEPENDENCIES, opts.startsMax, work)), DEPENDENCIES);
    }
    for (const nodes of within(WW | WR | SESSION))
      report(found(shortestCycle(sub, nodes, WW | WR | SESSION, opts.startsMax, work)), WW | WR | SESSION);
    const all = work.int32("cycles.all", sub.nodeCount).subarray(0, sub.nodeCount);
    for (let i = 0; i < all.length; i++) all[i] = i;
    report(found(singleRwCycle(sub, all, WW | WR | SESSION, rwTries, work)), ALL_EDGES);
    report(found(shortestCycle(sub, all, ALL_EDGES, opts.startsMax, work)), ALL_EDGES);
  }
  return components.length;
}

function concatenated(parts: Int32Array[]): Int32Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const all = new Int32Array(length);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

/** No cycle has fewer txns: there are no self-edges. */
const SHORTEST_POSSIBLE = 2;

/**
 * Runs `search` with member[v] = 1 exactly at `nodes`, or with no member
 * array when `nodes` are all of `sub` (nothing to keep to).
 */
function amongNodes<T>(sub: Subgraph, nodes: Int32Array, work: Workspace, search: (member: Int32Array | null) => T): T {
  if (nodes.length === sub.nodeCount) return search(null);
  const member = work.int32("cycles.member", sub.nodeCount, 0);
  for (let i = 0; i < nodes.length; i++) member[nodes[i]] = 1;
  try {
    return search(member);
  } finally {
    for (let i = 0; i < nodes.length; i++) member[nodes[i]] = 0;
  }
}

/**
 * The shortest cycle (fewest txns) over `mask` edges through one of the
 * first few `nodes`, which are a component of those edges: the cycle keeps to them.
 */
function shortestCycle(sub: Subgraph, nodes: Int32Array, mask: number, startsMax: number, work: Workspace): number[] | undefined {
  return amongNodes(sub, nodes, work, (member) => {
    let best: number[] | undefined;
    let bestTxns = 0x7fffffff;
    for (let i = 0; i < Math.min(startsMax, nodes.length) && bestTxns > SHORTEST_POSSIBLE; i++) {
      const cycle = shortestPath(sub, nodes[i], nodes[i], work, bestTxns, mask, SHORTEST_POSSIBLE, member);
      if (cycle === undefined) continue;
      best = cycle;
      bestTxns = txnsIn(sub, cycle);
    }
    return best;
  });
}

/**
 * A cycle with one rw edge a -> b (both in `nodes`, a component of edges
 * that include rw and `pathMask`) and a way back from b to a over `pathMask`
 * edges, which keeps to `nodes`: with the rw edge it is a cycle.
 */
function singleRwCycle(sub: Subgraph, nodes: Int32Array, pathMask: number, triesMax: number, work: Workspace): number[] | undefined {
  return amongNodes(sub, nodes, work, (member) => {
    const place = topologicalPlaces(sub, pathMask, work, nodes, member);
    let best: number[] | undefined;
    let bestTxns = 0x7fffffff;
    let tries = 0;
    for (let i = 0; i < nodes.length && tries < triesMax && bestTxns > SHORTEST_POSSIBLE; i++) {
      const a = nodes[i];
      for (let row = sub.offsets[a]; row < sub.offsets[a + 1] && tries < triesMax && bestTxns > SHORTEST_POSSIBLE; row++) {
        const b = sub.targets[row];
        if ((sub.kinds[row] & RW) === 0 || (member !== null && member[b] === 0)) continue;
        if (place[a] >= 0 && place[b] >= place[a]) continue; // no way back from b to a over pathMask edges
        tries++;
        // the way back from b enters txns after b: the cycle has one more (b)
        const path = shortestPath(sub, b, a, work, bestTxns - 1, pathMask, SHORTEST_POSSIBLE - 1, member);
        if (path === undefined) continue;
        best = [a, ...path];
        bestTxns = txnsIn(sub, path) + 1;
      }
    }
    return best;
  });
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
  // two or more rw edges, no two in a row (cyclically): snapshot isolation forbids it, unlike write skew
  const adjacent = labels.some((l, i) => l === RW && labels[(i + 1) % labels.length] === RW);
  const base = rw === 0 ? (wr === 0 ? "G0" : "G1c") : rw === 1 ? "G-single" : adjacent ? "G2-item" : "G-nonadjacent";
  if (labels.includes(REALTIME)) return `${base}-realtime`;
  if (labels.includes(PROCESS)) return `${base}-process`;
  return base;
}
