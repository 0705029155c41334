/**
 * Tarjan's strongly connected components (iterative: a million-node graph
 * would overflow the call stack) and a BFS for the shortest cycle through a node.
 */
import { endRow, firstRow, timeDegree, timeTarget, type Graph } from "./graph.js";

const DONE = 0x7fffffff;

/**
 * Whether the graph has no cycle (Kahn's algorithm: take away nodes without
 * in-edges until none are left). It works in `room` when that holds two ints
 * per node (index.ts lends the edge list's spent source column), so a valid
 * history's check allocates no more than its graph; Tarjan's five arrays are
 * only needed when there is a cycle.
 */
export function isAcyclic(graph: Graph, room: Int32Array): boolean {
  const n = graph.nodeCount;
  const { targets } = graph;
  const ints = room.length >= 2 * n ? room : new Int32Array(2 * n);
  const inDegree = ints.subarray(0, n).fill(0);
  const ready = ints.subarray(n, 2 * n);
  for (let v = 0; v < n; v++) {
    for (let row = firstRow(graph, v); row < endRow(graph, v); row++) inDegree[targets[row]]++;
    const timeEdges = timeDegree(graph, v);
    for (let k = 0; k < timeEdges; k++) inDegree[timeTarget(graph, v, k)]++;
  }
  let size = 0;
  for (let v = 0; v < n; v++) if (inDegree[v] === 0) ready[size++] = v;
  let removed = 0;
  // each node enters `ready` at most once: bounded by nodes + edges
  while (size > 0) {
    const v = ready[--size];
    removed++;
    for (let row = firstRow(graph, v); row < endRow(graph, v); row++) if (--inDegree[targets[row]] === 0) ready[size++] = targets[row];
    const timeEdges = timeDegree(graph, v);
    for (let k = 0; k < timeEdges; k++) {
      const w = timeTarget(graph, v, k);
      if (--inDegree[w] === 0) ready[size++] = w;
    }
  }
  return removed === n;
}

/** The components with more than one node (no self-edges exist, so only these hold cycles). */
export function cyclicComponents(graph: Graph): Int32Array[] {
  const n = graph.nodeCount;
  const { targets } = graph;
  // order[v]: visit number, -1 before the visit, DONE once v's component is out (so it lowers no low-link)
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const stack = new Int32Array(n);
  const callNode = new Int32Array(n);
  // which out-edge of the node comes next: its rows, then its time edges (graph.ts)
  const callEdge = new Int32Array(n);
  let stackSize = 0;
  let callSize = 0;
  let counter = 0;
  const components: Int32Array[] = [];

  const visit = (v: number): void => {
    order[v] = low[v] = counter++;
    stack[stackSize++] = v;
    callNode[callSize] = v;
    callEdge[callSize] = 0;
    callSize++;
  };

  for (let root = 0; root < n; root++) {
    if (order[root] >= 0) continue;
    visit(root);
    // each iteration either follows one edge or finishes one node: bounded by n + edges
    while (callSize > 0) {
      const v = callNode[callSize - 1];
      const k = callEdge[callSize - 1];
      const first = firstRow(graph, v);
      const rows = endRow(graph, v) - first;
      if (k < rows || k - rows < timeDegree(graph, v)) {
        callEdge[callSize - 1]++;
        const w = k < rows ? targets[first + k] : timeTarget(graph, v, k - rows);
        if (order[w] < 0) visit(w);
        else if (order[w] < low[v]) low[v] = order[w];
        continue;
      }
      callSize--;
      if (low[v] === order[v]) {
        let start = stackSize - 1;
        while (stack[start] !== v) start--;
        for (let i = start; i < stackSize; i++) order[stack[i]] = DONE;
        if (stackSize - start > 1) components.push(stack.slice(start, stackSize));
        stackSize = start;
      }
      if (callSize > 0) {
        const parent = callNode[callSize - 1];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
    }
  }
  return components;
}

/** The shortest cycle through `start` (a list of nodes, start first), or undefined. */
export function shortestCycleThrough(graph: Graph, start: number): number[] | undefined {
  return shortestPath(graph, start, start);
}

/**
 * The path from `from` to `to` (at least one edge) through the fewest txns,
 * as its nodes without the final `to`; undefined when there is none. Time
 * nodes cost nothing, so a 0-1 BFS (a deque: free steps in front) finds it.
 */
export function shortestPath(graph: Graph, from: number, to: number): number[] | undefined {
  const { offsets, targets, txnOf, timeFrom } = graph;
  const n = graph.nodeCount;
  const dist = new Int32Array(n).fill(0x7fffffff);
  const parent = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  // each push follows a relaxation, at most one per edge: a ring of edges + 1 never overflows
  const capacity = targets.length + 1;
  const ring = new Int32Array(capacity);
  let head = 0;
  let size = 0;
  ring[0] = from;
  size = 1;
  dist[from] = 0;
  let best = 0x7fffffff;
  let bestLast = -1;
  while (size > 0) {
    const v = ring[head];
    head = (head + 1) % capacity;
    size--;
    if (dist[v] >= best) break; // the deque is ordered: nothing shorter remains
    if (done[v] === 1) continue;
    done[v] = 1;
    for (let row = offsets[v]; row < offsets[v + 1]; row++) {
      const w = targets[row];
      const cost = (txnOf === null ? w : txnOf[w]) >= timeFrom ? 0 : 1;
      const d = dist[v] + cost;
      if (w === to) {
        if (d < best) {
          best = d;
          bestLast = v;
        }
        continue;
      }
      if (d >= dist[w]) continue;
      dist[w] = d;
      parent[w] = v;
      if (cost === 0) {
        head = (head - 1 + capacity) % capacity;
        ring[head] = w;
      } else {
        ring[(head + size) % capacity] = w;
      }
      size++;
    }
  }
  return bestLast < 0 ? undefined : pathTo(parent, from, bestLast);
}

function pathTo(parent: Int32Array, from: number, last: number): number[] {
  const path = [last];
  for (let v = last; v !== from; v = parent[v]) path.push(parent[v]);
  return path.reverse();
}
