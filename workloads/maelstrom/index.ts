/** The workloads `tob maelstrom test -w` knows, by Maelstrom's names. */
import { broadcast } from "./broadcast.js";
import { gCounter, pnCounter } from "./counter.js";
import { echo } from "./echo.js";
import { gSet } from "./g-set.js";
import { kafka } from "./kafka.js";
import { linKv } from "./lin-kv.js";
import { txnListAppend, txnRwRegister } from "./txn.js";
import { uniqueIds } from "./unique-ids.js";
import type { MaelstromWorkload } from "./workload.js";

export const MAELSTROM_WORKLOADS: readonly MaelstromWorkload[] = [
  echo,
  uniqueIds,
  broadcast,
  gSet,
  gCounter,
  pnCounter,
  linKv,
  txnListAppend,
  txnRwRegister,
  kafka,
];

export function findMaelstromWorkload(name: string): MaelstromWorkload | undefined {
  return MAELSTROM_WORKLOADS.find((w) => w.name === name);
}
