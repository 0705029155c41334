/**
 * Partition shapes as sets of cut directed links (pure). `order` is a seeded
 * permutation of the nodes, so the shape a schedule names is the shape a
 * replay gets.
 */
import { allLinks, type Link } from "./network.js";

export type Shape = "one" | "halves" | "bridge" | "ring";
export const SHAPES: readonly Shape[] = ["one", "halves", "bridge", "ring"];

/** Cut every link between nodes of different groups; a node in no group is cut from all. */
export function groupsToLinks(nodes: readonly string[], groups: readonly (readonly string[])[]): Link[] {
  const groupOf = new Map<string, number>();
  groups.forEach((g, i) => g.forEach((n) => groupOf.set(n, i)));
  return allLinks(nodes).filter(([a, b]) => groupOf.get(a) === undefined || groupOf.get(a) !== groupOf.get(b));
}

/** Links both ways between every pair that may not talk, given who may talk to whom. */
function cutUnless(nodes: readonly string[], connected: (a: string, b: string) => boolean): Link[] {
  return allLinks(nodes).filter(([a, b]) => !connected(a, b));
}

export interface ShapeCut {
  /** Human description: the groups, or the bridge, or the ring order. */
  groups: string[][];
  links: Link[];
}

/** `order[0]` is the node a shape centers on (the isolated one, the bridge). */
export function shapeCut(shape: Shape, order: readonly string[]): ShapeCut {
  const n = order.length;
  const nodes = [...order];
  switch (shape) {
    case "one": {
      const [lone, ...rest] = nodes;
      const groups = [[lone as string], rest];
      return { groups, links: groupsToLinks(nodes, groups) };
    }
    case "halves": {
      // The minority first: floor(n/2) nodes can never elect a leader.
      const minority = nodes.slice(0, Math.floor(n / 2));
      const groups = [minority, nodes.slice(minority.length)];
      return { groups, links: groupsToLinks(nodes, groups) };
    }
    case "bridge": {
      // Two halves that cannot hear each other, and one node that hears both.
      const [bridge, ...rest] = nodes;
      const left = rest.slice(0, Math.floor(rest.length / 2));
      const right = rest.slice(left.length);
      const side = (x: string) => (x === bridge ? 0 : left.includes(x) ? -1 : 1);
      const links = cutUnless(nodes, (a, b) => side(a) === 0 || side(b) === 0 || side(a) === side(b));
      return {
        groups: [
          [...left, bridge as string],
          [bridge as string, ...right],
        ],
        links,
      };
    }
    case "ring": {
      // Each node hears only its two neighbours in the ring: with 5 nodes every
      // node sees a majority, and no two see the same one. With 3, nothing is cut.
      const pos = new Map(nodes.map((x, i) => [x, i]));
      const adjacent = (a: string, b: string) => {
        const d = Math.abs((pos.get(a) as number) - (pos.get(b) as number));
        return d <= 1 || d === n - 1;
      };
      return { groups: nodes.map((x, i) => [x, nodes[(i + 1) % n] as string]), links: cutUnless(nodes, adjacent) };
    }
  }
}

/** One node cannot send to anyone, but still hears everyone (or the reverse). */
export function oneWay(order: readonly string[], mute: boolean): ShapeCut {
  const [node, ...rest] = order;
  const links: Link[] = rest.map((other) => (mute ? [node as string, other] : [other, node as string]) as Link);
  return { groups: [[node as string], rest], links };
}
