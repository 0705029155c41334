/**
 * The dependency graph over txn ids, as typed arrays: edges are collected in
 * growable columns, then frozen into compressed sparse rows (CSR). Duplicate
 * edges are kept; the kinds of an edge u->v are the OR of its rows' kinds.
 * Real-time edges of the whole graph are implicit (TimeChain): three per txn
 * would double the rows.
 */
import { int32Column, uint8Column } from "../arena.js";
import type { Workspace } from "./workspace.js";

export const WW = 1;
export const WR = 2;
export const RW = 4;
export const PROCESS = 8;
export const REALTIME = 16;
export const DEPENDENCIES = WW | WR | RW;
export const ALL_EDGES = DEPENDENCIES | PROCESS | REALTIME;

/** The order in which a cycle step's kinds are tried for its label: the most telling first. */
export const LABEL_PRIORITY = [WW, WR, RW, PROCESS, REALTIME];

/** Edges as columns: edge e goes from[e] -> to[e], of kind[e]; e < size. */
export interface Columns {
  from: Int32Array;
  to: Int32Array;
  kind: Uint8Array;
  size: number;
}

export class EdgeList implements Columns {
  from: Int32Array;
  to: Int32Array;
  kind: Uint8Array;
  size = 0;

  /** give the capacity when a bound is known: growing copies, and copies count (see freeze) */
  constructor(capacity = 1024) {
    this.from = int32Column(capacity);
    this.to = int32Column(capacity);
    this.kind = uint8Column(capacity);
  }

  add(from: number, to: number, kind: number): void {
    if (this.size === this.from.length) this.grow();
    this.from[this.size] = from;
    this.to[this.size] = to;
    this.kind[this.size] = kind;
    this.size++;
  }

  private grow(): void {
    const capacity = Math.max(16, this.from.length * 2);
    const from = int32Column(capacity);
    const to = int32Column(capacity);
    const kind = uint8Column(capacity);
    from.set(this.from);
    to.set(this.to);
    kind.set(this.kind);
    this.from = from;
    this.to = to;
    this.kind = kind;
  }
}

/**
 * The real-time order as a chain of time nodes, not stored as rows (./session.ts):
 * tick i (graph id timeFrom + i) -> tick i + 1, and -> txns firstTxn[i] .. firstTxn[i + 1] - 1;
 * txn t -> tickOf[t] (a graph id; -1: none).
 */
export interface TimeChain {
  tickOf: Int32Array;
  /** one entry per tick, then the txn count */
  firstTxn: Int32Array;
  edgeCount: number;
}

export interface Graph {
  nodeCount: number;
  /** out-edges of v are rows firstRow .. endRow - 1, then its time edges (timeDegree); time nodes have no rows */
  offsets: Int32Array;
  targets: Int32Array;
  kinds: Uint8Array;
  /** local node id -> graph-wide id; null for the whole graph (the identity) */
  txnOf: Int32Array | null;
  /** graph-wide ids from here up are time nodes (./session.ts): paths through them cost nothing */
  timeFrom: number;
  /** the whole graph's real-time edges; subgraphs hold theirs as rows */
  time: TimeChain | null;
}

/** Rows of v: firstRow .. endRow - 1. Nodes past the offsets (time nodes of the whole graph) have none. */
export const firstRow = (graph: Graph, v: number): number => (v + 1 < graph.offsets.length ? graph.offsets[v] : 0);
export const endRow = (graph: Graph, v: number): number => (v + 1 < graph.offsets.length ? graph.offsets[v + 1] : 0);

/** A graph on some nodes of another, whose ids it maps back to. */
export type Subgraph = Graph & { txnOf: Int32Array };

/** v's real-time out-edges that are not rows: 0 in subgraphs. */
export function timeDegree(graph: Graph, v: number): number {
  const time = graph.time;
  if (time === null) return 0;
  if (v < graph.timeFrom) return time.tickOf[v] < 0 ? 0 : 1;
  const tick = v - graph.timeFrom;
  const next = tick + 2 < time.firstTxn.length ? 1 : 0;
  return next + time.firstTxn[tick + 1] - time.firstTxn[tick];
}

/** The target of v's k-th real-time out-edge (k < timeDegree): the next tick first. */
export function timeTarget(graph: Graph, v: number, k: number): number {
  const time = graph.time!;
  if (v < graph.timeFrom) return time.tickOf[v];
  const tick = v - graph.timeFrom;
  const next = tick + 2 < time.firstTxn.length ? 1 : 0;
  return k < next ? v + 1 : time.firstTxn[tick] + k - next;
}

/**
 * The edges as rows grouped by source, sorted in place (an American flag
 * sort), so the graph takes no second copy of them: `edges` becomes its rows
 * (a million-txn graph's edges are tens of megabytes of ../arena.ts).
 */
export function freeze(edges: Columns, nodeCount: number, timeFrom = nodeCount, time: TimeChain | null = null): Graph {
  const { from, to, kind, size } = edges;
  // time nodes have no rows: only txns get offsets
  const rowNodes = time === null ? nodeCount : timeFrom;
  const offsets = int32Column(rowNodes + 1);
  for (let e = 0; e < size; e++) offsets[from[e] + 1]++;
  for (let v = 0; v < rowNodes; v++) offsets[v + 1] += offsets[v];
  const next = int32Column(rowNodes);
  next.set(offsets.subarray(0, rowNodes));
  for (let v = 0; v < rowNodes; v++) {
    // each step keeps the edge at next[v] or swaps it into its own row for good: at most 2 * size steps
    while (next[v] < offsets[v + 1]) {
      const row = next[v];
      const u = from[row];
      if (u === v) {
        next[v]++;
        continue;
      }
      const dest = next[u]++;
      from[row] = from[dest];
      from[dest] = u;
      const target = to[row];
      to[row] = to[dest];
      to[dest] = target;
      const k = kind[row];
      kind[row] = kind[dest];
      kind[dest] = k;
    }
  }
  return { nodeCount, offsets, targets: to.subarray(0, size), kinds: kind.subarray(0, size), txnOf: null, timeFrom, time };
}

/**
 * The subgraph on `nodes` (local ids of `graph`) with only edges of `mask`.
 * `scratch` maps graph ids to subgraph ids; it is -1 everywhere on entry and
 * on return. The subgraph lives in `room`: it is valid until the next call.
 * Its edges are emitted source by source, so they are rows already: no sort.
 */
export function subgraph(graph: Graph, nodes: ArrayLike<number>, mask: number, scratch: Int32Array, room: Workspace): Subgraph {
  const n = nodes.length;
  for (let i = 0; i < n; i++) scratch[nodes[i]] = i;
  // two passes: count, then fill arrays of the right size
  let size = 0;
  for (let i = 0; i < n; i++) size += rowsWithin(graph, nodes[i], mask, scratch, null, null, 0);
  const offsets = room.int32("sub.offsets", n + 1).subarray(0, n + 1);
  const targets = room.int32("sub.to", size).subarray(0, size);
  const kinds = room.uint8("sub.kind", size).subarray(0, size);
  const txnOf = room.int32("sub.txnOf", n).subarray(0, n);
  let e = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = e;
    e += rowsWithin(graph, nodes[i], mask, scratch, targets, kinds, e);
  }
  offsets[n] = e;
  for (let i = 0; i < n; i++) {
    txnOf[i] = graph.txnOf === null ? nodes[i] : graph.txnOf[nodes[i]];
    scratch[nodes[i]] = -1;
  }
  return { nodeCount: n, offsets, targets, kinds, txnOf, timeFrom: graph.timeFrom, time: null };
}

/**
 * v's out-edges of `mask` into the subgraph `scratch` maps, its rows then its
 * time edges: written from `at` on when `targets` is given. Returns how many.
 */
function rowsWithin(
  graph: Graph,
  v: number,
  mask: number,
  scratch: Int32Array,
  targets: Int32Array | null,
  kinds: Uint8Array | null,
  at: number,
): number {
  let e = at;
  for (let row = firstRow(graph, v); row < endRow(graph, v); row++) {
    const kind = graph.kinds[row] & mask;
    const w = scratch[graph.targets[row]];
    if (kind === 0 || w < 0) continue;
    if (targets !== null) {
      targets[e] = w;
      kinds![e] = kind;
    }
    e++;
  }
  const timeEdges = (mask & REALTIME) === 0 ? 0 : timeDegree(graph, v);
  for (let k = 0; k < timeEdges; k++) {
    const w = scratch[timeTarget(graph, v, k)];
    if (w < 0) continue;
    if (targets !== null) {
      targets[e] = w;
      kinds![e] = REALTIME;
    }
    e++;
  }
  return e - at;
}

/** The OR of the kinds of every edge u->v. */
export function kindsBetween(graph: Graph, u: number, v: number): number {
  let kinds = 0;
  for (let row = firstRow(graph, u); row < endRow(graph, u); row++) if (graph.targets[row] === v) kinds |= graph.kinds[row];
  return kinds;
}
