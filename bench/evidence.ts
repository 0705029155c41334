/**
 * Where a checker's verdict of invalid is first visible in the history: the
 * earliest op index a failing checker's output cites as evidence. Checkers
 * cite ops in a few shapes: `{op: index}` (total order, Elle's cycles, lock
 * and uniqueness examples), `{index, type}` (an op itself), and
 * linearizability's stuck op `{invoke, complete}`. An anomaly is visible once
 * all of its evidence has happened, so each example counts at its latest op,
 * and the first anomaly is the example that completes earliest.
 */

/** The history index at which the earliest cited anomaly is complete, or null if none is cited. */
export function firstAnomalyIndex(result: unknown): number | null {
  let best: number | null = null;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) {
        const at = latestCited(item);
        if (at !== null) best = best === null ? at : Math.min(best, at);
        else visit(item);
      }
    } else if (node !== null && typeof node === "object") {
      for (const v of Object.values(node)) visit(v);
    }
  };
  visit(result);
  return best;
}

/** The latest op index cited anywhere inside `node`, or null. */
function latestCited(node: unknown): number | null {
  let latest: number | null = null;
  const cite = (i: unknown) => {
    if (typeof i === "number" && Number.isSafeInteger(i) && i >= 0) latest = latest === null ? i : Math.max(latest, i);
  };
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) for (const x of n) walk(x);
    else if (n !== null && typeof n === "object") {
      const o = n as Record<string, unknown>;
      cite(o.op);
      if (typeof o.type === "string" && ["ok", "fail", "info"].includes(o.type)) cite(o.index);
      if (typeof o.invoke === "number") cite(o.complete ?? o.invoke);
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(node);
  return latest;
}
