/**
 * The broadcast workload's topologies (Maelstrom's --topology): who each node
 * is told its neighbours are. grid: a square-ish grid, up/down/left/right;
 * line: a chain; tree: a binary tree by id order; total: everyone.
 */
import type { Topology } from "./workload.js";

export function topologyOf(kind: Topology, nodes: readonly string[]): Record<string, string[]> {
  const n = nodes.length;
  const out: Record<string, string[]> = {};
  const at = (i: number) => nodes[i] as string;
  const width = Math.max(1, Math.ceil(Math.sqrt(n)));
  nodes.forEach((node, i) => {
    const neighbours: number[] = [];
    switch (kind) {
      case "total":
        for (let j = 0; j < n; j++) if (j !== i) neighbours.push(j);
        break;
      case "line":
        neighbours.push(i - 1, i + 1);
        break;
      case "tree":
        neighbours.push(Math.floor((i - 1) / 2), 2 * i + 1, 2 * i + 2);
        break;
      case "grid":
        if (i % width > 0) neighbours.push(i - 1);
        if (i % width < width - 1) neighbours.push(i + 1);
        neighbours.push(i - width, i + width);
        break;
    }
    out[node] = neighbours.filter((j) => j >= 0 && j < n && j !== i).map(at);
  });
  return out;
}
