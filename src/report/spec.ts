/**
 * What the reports say about the run's set-up, read from test.json as the
 * controller types it (TestJson in src/controller/spec.ts): `spec` holds the
 * resolved RunSpec, `startedAt` the start. A field that is absent (a run cut
 * short) is left out; one of the wrong type is left out with a note naming it.
 */
import type { RunSpec, TestJson } from "../controller/spec.js";

/** The set-up fields a report shows. */
export type SetUp = Partial<
  Pick<RunSpec, "name" | "workload" | "cluster" | "nodes" | "nemesis" | "time" | "recoveryS" | "concurrency" | "rate" | "seed">
> &
  Partial<Pick<TestJson, "startedAt">>;

type Kind = "string" | "number" | "string[]";

const SPEC_FIELDS: Readonly<Record<Exclude<keyof SetUp, "startedAt">, Kind>> = {
  name: "string",
  workload: "string",
  cluster: "string",
  nodes: "number",
  nemesis: "string[]",
  time: "number",
  recoveryS: "number",
  concurrency: "number",
  rate: "number",
  seed: "number",
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function hasKind(v: unknown, kind: Kind): boolean {
  if (kind === "string[]") return Array.isArray(v) && v.every((x) => typeof x === "string");
  if (kind === "number") return typeof v === "number" && Number.isFinite(v);
  return typeof v === "string";
}

/** The set-up test.json records; `notes` gets one line per field of the wrong type. */
export function readSetUp(test: Record<string, unknown> | undefined, notes: string[]): SetUp {
  if (test === undefined) return {};
  const setUp: Record<string, unknown> = {};
  if (typeof test.startedAt === "string") setUp.startedAt = test.startedAt;
  else if (test.startedAt !== undefined) notes.push("test.json: startedAt is not a string; left out");
  if (test.spec === undefined) return setUp as SetUp;
  if (!isObject(test.spec)) {
    notes.push("test.json: spec is not an object; the set-up is left out");
    return setUp as SetUp;
  }
  for (const [field, kind] of Object.entries(SPEC_FIELDS)) {
    const value = test.spec[field];
    if (value === undefined) continue;
    if (hasKind(value, kind)) setUp[field] = value;
    else notes.push(`test.json: spec.${field} is not a ${kind}; left out`);
  }
  return setUp as SetUp;
}

/** "register on raft, 3 nodes, nemesis kill, 30 s, concurrency 5, 200 ops/s, seed 7" */
export function describeSetUp(setUp: SetUp): string {
  const parts: string[] = [];
  if (setUp.workload) parts.push(setUp.cluster ? `${setUp.workload} on ${setUp.cluster}` : setUp.workload);
  else if (setUp.cluster) parts.push(setUp.cluster);
  if (setUp.nodes !== undefined) parts.push(`${setUp.nodes} nodes`);
  if (setUp.nemesis !== undefined) parts.push(`nemesis ${setUp.nemesis.length > 0 ? setUp.nemesis.join(", ") : "none"}`);
  if (setUp.time !== undefined) parts.push(setUp.recoveryS ? `${setUp.time} s + ${setUp.recoveryS} s recovery` : `${setUp.time} s`);
  if (setUp.concurrency !== undefined) parts.push(`concurrency ${setUp.concurrency}`);
  if (setUp.rate !== undefined) parts.push(`${setUp.rate} ops/s`);
  if (setUp.seed !== undefined) parts.push(`seed ${setUp.seed}`);
  return parts.join(", ");
}
