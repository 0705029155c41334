/**
 * Tarjan's strongly connected components (iterative: a million-node graph
 * would overflow the call stack) and a BFS for the shortest path between two
 * nodes (from a node to itself: the shortest cycle through it).
 */
import { ALL_EDGES, REALTIME, endRow, firstRow, timeDegree, timeTarget, type Graph } from "./graph.js";
import { Workspace } from "./workspace.js";
import { int32Column } from "../arena.js";

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
  const ints = room.length >= 2 * n ? room : int32Column(2 * n);
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

/** v's implicit real-time edges, when the mask takes them. */
const timeEdges = (graph: Graph, v: number, mask: number): number => ((mask & REALTIME) === 0 ? 0 : timeDegree(graph, v));

/**
 * The components with more than one node over edges of `mask` (no self-edges
 * exist, so only these hold cycles). With `nodes`, only those nodes and the
 * edges between them are searched.
 */
export function cyclicComponents(
  graph: Graph,
  room: Workspace = new Workspace(),
  mask = ALL_EDGES,
  nodes?: ArrayLike<number>,
): Int32Array[] {
  const n = graph.nodeCount;
  const { targets, kinds } = graph;
  // order[v]: visit number, -1 before the visit, DONE once v's component is out (so it lowers no
  // low-link), or from the start for a node outside `nodes`
  const order = room.int32("tarjan.order", n).fill(nodes === undefined ? -1 : DONE, 0, n);
  if (nodes !== undefined) for (let i = 0; i < nodes.length; i++) order[nodes[i]] = -1;
  const low = room.int32("tarjan.low", n);
  const stack = room.int32("tarjan.stack", n);
  const callNode = room.int32("tarjan.callNode", n);
  // which out-edge of the node comes next: its rows, then its time edges (graph.ts)
  const callEdge = room.int32("tarjan.callEdge", n);
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

  const roots = nodes === undefined ? n : nodes.length;
  for (let r = 0; r < roots; r++) {
    const root = nodes === undefined ? r : nodes[r];
    if (order[root] !== -1) continue;
    visit(root);
    // each pass either descends one edge or finishes one node, and follows each edge once:
    // bounded by n + edges
    while (callSize > 0) {
      const v = callNode[callSize - 1];
      const first = firstRow(graph, v);
      const rows = endRow(graph, v) - first;
      const degree = rows + timeEdges(graph, v, mask);
      let k = callEdge[callSize - 1];
      let descended = false;
      while (k < degree) {
        let w: number;
        if (k < rows) {
          const row = first + k++;
          if ((kinds[row] & mask) === 0) continue;
          w = targets[row];
        } else {
          w = timeTarget(graph, v, k++ - rows);
        }
        if (order[w] === -1) {
          callEdge[callSize - 1] = k;
          visit(w);
          descended = true;
          break;
        }
        if (order[w] < low[v]) low[v] = order[w];
      }
      if (descended) continue;
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

/**
 * The path from `from` to `to` (at least one edge) through the fewest txns,
 * as its nodes without the final `to`; undefined when there is none. Time
 * nodes cost nothing, so a 0-1 BFS (a deque: free steps in front) finds it.
 * A path no shorter than `longerThan` txns is of no use to the caller: the
 * search stops there, and at a path of `floor` txns, which the caller knows
 * no path beats. With `member`, the path keeps to nodes v with member[v] = 1
 * (a cycle lies within one component: the search need not leave it). `room`
 * holds its arrays between searches.
 */
export function shortestPath(
  graph: Graph,
  from: number,
  to: number,
  room: Workspace,
  longerThan = 0x7fffffff,
  mask = ALL_EDGES,
  floor = 1,
  member: Int32Array | null = null,
): number[] | undefined {
  const { offsets, targets, kinds, txnOf, timeFrom } = graph;
  // between searches dist is "infinite", parent -1 and done 0 everywhere: only touched entries are reset
  const n = graph.nodeCount;
  const dist = room.int32("path.dist", n, 0x7fffffff);
  const parent = room.int32("path.parent", n, -1);
  const done = room.uint8("path.done", n);
  const touched = room.int32("path.touched", n);
  const ring = room.int32("path.ring", targets.length + 1);
  // each push follows a relaxation, at most one per edge: a ring of edges + 1 never overflows
  const capacity = targets.length + 1;
  let touchedCount = 0;
  let head = 0;
  let size = 1;
  ring[0] = from;
  dist[from] = 0;
  touched[touchedCount++] = from;
  let best = longerThan;
  let bestLast = -1;
  search: while (size > 0) {
    const v = ring[head];
    head = (head + 1) % capacity;
    size--;
    if (dist[v] >= best) break; // the deque is ordered: nothing shorter remains
    if (done[v] === 1) continue;
    done[v] = 1;
    for (let row = offsets[v]; row < offsets[v + 1]; row++) {
      if ((kinds[row] & mask) === 0) continue;
      const w = targets[row];
      if (member !== null && member[w] !== 1) continue;
      const cost = (txnOf === null ? w : txnOf[w]) >= timeFrom ? 0 : 1;
      const d = dist[v] + cost;
      if (w === to) {
        if (d < best) {
          best = d;
          bestLast = v;
          if (best <= floor) break search;
        }
        continue;
      }
      if (d >= dist[w]) continue;
      if (dist[w] === 0x7fffffff) touched[touchedCount++] = w;
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
  const path = bestLast < 0 ? undefined : pathTo(parent, from, bestLast);
  for (let i = 0; i < touchedCount; i++) {
    const v = touched[i];
    dist[v] = 0x7fffffff;
    parent[v] = -1;
    done[v] = 0;
  }
  return path;
}

function pathTo(parent: Int32Array, from: number, last: number): number[] {
  const path = [last];
  for (let v = last; v !== from; v = parent[v]) path.push(parent[v]);
  return path.reverse();
}

/**
 * The place of each of `nodes` in a topological order of the `mask` edges
 * among them (Kahn's), or -1 for nodes on a cycle or reachable from one.
 * `member` is 1 at `nodes` and only there (null: `nodes` are all the
 * graph's). When b and a both have places,
 * a path from b to a within `nodes` needs place(b) < place(a): a cheap test
 * that spares the searches that cannot succeed. Only the entries of `nodes`
 * are set; the array lives in `room`.
 */
export function topologicalPlaces(
  graph: Graph,
  mask: number,
  room: Workspace,
  nodes: ArrayLike<number>,
  member: Int32Array | null,
): Int32Array {
  const n = graph.nodeCount;
  const { offsets, targets, kinds } = graph;
  const inDegree = room.int32("topo.inDegree", n);
  const place = room.int32("topo.place", n);
  const ready = room.int32("topo.ready", n);
  for (let i = 0; i < nodes.length; i++) {
    inDegree[nodes[i]] = 0;
    place[nodes[i]] = -1;
  }
  for (let i = 0; i < nodes.length; i++) {
    const v = nodes[i];
    for (let row = offsets[v]; row < offsets[v + 1]; row++) {
      const w = targets[row];
      if ((kinds[row] & mask) !== 0 && (member === null || member[w] === 1)) inDegree[w]++;
    }
  }
  let size = 0;
  for (let i = 0; i < nodes.length; i++) if (inDegree[nodes[i]] === 0) ready[size++] = nodes[i];
  let next = 0;
  // each node enters `ready` at most once
  while (size > 0) {
    const v = ready[--size];
    place[v] = next++;
    for (let row = offsets[v]; row < offsets[v + 1]; row++) {
      const w = targets[row];
      if ((kinds[row] & mask) !== 0 && (member === null || member[w] === 1) && --inDegree[w] === 0) ready[size++] = w;
    }
  }
  return place;
}
