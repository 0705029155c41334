/**
 * What the reports say about the run's set-up, read from test.json. The spec's
 * exact shape belongs to the controller, so each field is looked for under the
 * names it plausibly has, and left out when absent.
 */
export interface RunSpec {
  name?: string;
  startedAt?: string;
  workload?: string;
  cluster?: string;
  nodes?: number;
  nemesis?: string;
  timeS?: number;
  recoveryS?: number;
  concurrency?: number;
  rate?: number;
  seed?: string;
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The first of the given fields present at the top or under `spec`. */
function find(test: Obj, names: readonly string[]): unknown {
  const places = isObject(test.spec) ? [test, test.spec] : [test];
  for (const place of places) {
    for (const name of names) if (place[name] !== undefined && place[name] !== null) return place[name];
  }
  return undefined;
}

/** A name from a string, or from an object's name/kind/type field. */
function nameOf(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (isObject(v)) {
    for (const k of ["name", "kind", "type"]) if (typeof v[k] === "string") return v[k] as string;
  }
  return undefined;
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function listOf(v: unknown): string | undefined {
  if (typeof v === "string") return v === "" ? undefined : v;
  if (Array.isArray(v)) {
    const names = v.map(nameOf).filter((s): s is string => s !== undefined);
    return names.length > 0 ? names.join(", ") : "none";
  }
  return nameOf(v);
}

export function readSpec(test: Obj | undefined): RunSpec {
  if (test === undefined) return {};
  const cluster = find(test, ["cluster"]);
  const nodes = find(test, ["nodes", "nodeCount"]) ?? (isObject(cluster) ? cluster.nodes : undefined);
  const seed = find(test, ["seed"]);
  return {
    name: nameOf(find(test, ["name", "test"])),
    startedAt: nameOf(find(test, ["startedAt", "started", "timestamp", "start"])),
    workload: nameOf(find(test, ["workload"])),
    cluster: nameOf(cluster),
    nodes: Array.isArray(nodes) ? nodes.length : numberOf(nodes),
    nemesis: listOf(find(test, ["nemesis", "faults"])),
    timeS: numberOf(find(test, ["time", "timeS", "duration", "durationS"])),
    recoveryS: numberOf(find(test, ["recoveryS", "recovery"])),
    concurrency: numberOf(find(test, ["concurrency"])),
    rate: numberOf(find(test, ["rate"])),
    seed: typeof seed === "number" || typeof seed === "string" ? String(seed) : undefined,
  };
}

/** "register on raft, 3 nodes, nemesis kill, 30 s, concurrency 5, 200/s, seed 7" */
export function describeSpec(spec: RunSpec): string {
  const parts: string[] = [];
  if (spec.workload) parts.push(spec.cluster ? `${spec.workload} on ${spec.cluster}` : spec.workload);
  else if (spec.cluster) parts.push(spec.cluster);
  if (spec.nodes !== undefined) parts.push(`${spec.nodes} nodes`);
  if (spec.nemesis) parts.push(`nemesis ${spec.nemesis}`);
  if (spec.timeS !== undefined) parts.push(spec.recoveryS ? `${spec.timeS} s + ${spec.recoveryS} s recovery` : `${spec.timeS} s`);
  if (spec.concurrency !== undefined) parts.push(`concurrency ${spec.concurrency}`);
  if (spec.rate !== undefined) parts.push(`${spec.rate} ops/s`);
  if (spec.seed !== undefined) parts.push(`seed ${spec.seed}`);
  return parts.join(", ");
}
