/**
 * The dependency graph over txn ids, as typed arrays: edges are collected in
 * growable columns, then frozen into compressed sparse rows (CSR). Duplicate
 * edges are kept; the kinds of an edge u->v are the OR of its rows' kinds.
 */
export const WW = 1;
export const WR = 2;
export const RW = 4;
export const PROCESS = 8;
export const REALTIME = 16;
export const DEPENDENCIES = WW | WR | RW;
export const ALL_EDGES = DEPENDENCIES | PROCESS | REALTIME;

/** The order in which a cycle step's kinds are tried for its label: the most telling first. */
export const LABEL_PRIORITY = [WW, WR, RW, PROCESS, REALTIME];

export class EdgeList {
  from: Int32Array;
  to: Int32Array;
  kind: Uint8Array;
  size = 0;

  constructor(capacity = 1024) {
    this.from = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
  }

  add(from: number, to: number, kind: number): void {
    if (this.size === this.from.length) this.grow();
    this.from[this.size] = from;
    this.to[this.size] = to;
    this.kind[this.size] = kind;
    this.size++;
  }

  private grow(): void {
    const capacity = this.from.length * 2;
    const from = new Int32Array(capacity);
    const to = new Int32Array(capacity);
    const kind = new Uint8Array(capacity);
    from.set(this.from);
    to.set(this.to);
    kind.set(this.kind);
    this.from = from;
    this.to = to;
    this.kind = kind;
  }
}

export interface Graph {
  nodeCount: number;
  /** out-edges of v are rows offsets[v] .. offsets[v+1]-1 */
  offsets: Int32Array;
  targets: Int32Array;
  kinds: Uint8Array;
  /** local node id -> graph-wide id (identity for the whole graph) */
  txnOf: Int32Array;
  /** graph-wide ids from here up are time nodes (./session.ts): paths through them cost nothing */
  timeFrom: number;
}

export function freeze(edges: EdgeList, nodeCount: number, timeFrom = nodeCount): Graph {
  const offsets = new Int32Array(nodeCount + 1);
  for (let e = 0; e < edges.size; e++) offsets[edges.from[e] + 1]++;
  for (let v = 0; v < nodeCount; v++) offsets[v + 1] += offsets[v];
  const fill = offsets.slice(0, nodeCount);
  const targets = new Int32Array(edges.size);
  const kinds = new Uint8Array(edges.size);
  for (let e = 0; e < edges.size; e++) {
    const row = fill[edges.from[e]]++;
    targets[row] = edges.to[e];
    kinds[row] = edges.kind[e];
  }
  const txnOf = new Int32Array(nodeCount);
  for (let v = 0; v < nodeCount; v++) txnOf[v] = v;
  return { nodeCount, offsets, targets, kinds, txnOf, timeFrom };
}

/**
 * The subgraph on `nodes` (local ids of `graph`) with only edges of `mask`.
 * `scratch` maps graph ids to subgraph ids; it is -1 everywhere on entry and on return.
 */
export function subgraph(graph: Graph, nodes: ArrayLike<number>, mask: number, scratch: Int32Array): Graph {
  for (let i = 0; i < nodes.length; i++) scratch[nodes[i]] = i;
  const edges = new EdgeList();
  for (let i = 0; i < nodes.length; i++) {
    const v = nodes[i];
    for (let row = graph.offsets[v]; row < graph.offsets[v + 1]; row++) {
      const kind = graph.kinds[row] & mask;
      const w = scratch[graph.targets[row]];
      if (kind !== 0 && w >= 0) edges.add(i, w, kind);
    }
  }
  const sub = freeze(edges, nodes.length, graph.timeFrom);
  for (let i = 0; i < nodes.length; i++) {
    sub.txnOf[i] = graph.txnOf[nodes[i]];
    scratch[nodes[i]] = -1;
  }
  return sub;
}

/** The OR of the kinds of every edge u->v. */
export function kindsBetween(graph: Graph, u: number, v: number): number {
  let kinds = 0;
  for (let row = graph.offsets[u]; row < graph.offsets[u + 1]; row++) if (graph.targets[row] === v) kinds |= graph.kinds[row];
  return kinds;
}
