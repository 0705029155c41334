/** The workloads `tob run --workload` knows, by name. */
import { broadcast } from "./broadcast.js";
import { failover } from "./failover.js";
import { kv } from "./kv.js";
import { listAppend } from "./list-append.js";
import { lock } from "./lock.js";
import { register } from "./register.js";
import { unique } from "./unique.js";
import type { Workload } from "./workload.js";

export const WORKLOADS: readonly Workload[] = [register, kv, broadcast, lock, unique, listAppend, failover];

export const WORKLOAD_NAMES: readonly string[] = WORKLOADS.map((w) => w.name);

export function findWorkload(name: string): Workload | undefined {
  return WORKLOADS.find((w) => w.name === name);
}
