/**
 * The total-order-broadcast checker. Input shapes: see ./parse.ts.
 *
 * Properties, each reported by name with witnesses (definitions in
 * ./properties.ts and ./positions.ts):
 *   integrity     every delivered message was broadcast (and not failed); no read holds one twice
 *   agreement     a message any node delivered is in a final read of every correct node
 *   total-order   the final reads are prefixes of one sequence
 *   no-loss       every acknowledged broadcast is in some final read
 *   order-fixed   no read during the run, and no acknowledgement's seq, puts a
 *                 message at another position than the other observations
 *   fifo          per-sender FIFO; reported, part of `valid` only with `fifoRequired`
 * Every definition is over the set of reads, so no verdict depends on their
 * order in the file. Without any final read, agreement, no loss and FIFO
 * cannot be judged: `valid` is false (integrity, order-fixed) or "unknown".
 * Cost: linear in the number of delivered messages read.
 */
import type { History } from "../../src/history/op.js";
import type { Checker, CheckResult } from "../checker.js";
import { parseBroadcastHistory, type BroadcastStatus } from "./parse.js";
import { checkPositions } from "./positions.js";
import { checkAgreement, checkFifo, checkIntegrity, checkLoss, checkFinalPrefixes, finalsOf } from "./properties.js";
import type { Property } from "./tally.js";
import { stableLatency, type StableLatency } from "./latency.js";

export interface TotalOrderOptions {
  /** count per-sender FIFO in `valid` (default false) */
  fifoRequired?: boolean;
  /** counterexamples kept per property (default 10) */
  examplesMax?: number;
  /** message names kept in the info recovered/lost lists (default 100) */
  listedMax?: number;
}

export const PROPERTY_NAMES = ["integrity", "agreement", "total-order", "no-loss", "order-fixed", "fifo"] as const;
export type PropertyName = (typeof PROPERTY_NAMES)[number];

/** What can be judged without a final read: what the reads and acknowledgements say on their own. */
const JUDGED_WITHOUT_FINALS: ReadonlySet<PropertyName> = new Set(["integrity", "order-fixed"]);

export interface TotalOrderResult extends CheckResult, StableLatency {
  properties: Record<PropertyName, Property>;
  /** names of the properties that failed and count toward `valid` */
  failed: PropertyName[];
  /** properties that could not be judged (no final read) */
  unjudged: PropertyName[];
  error?: string;
  correctNodes: string[];
  broadcasts: Record<BroadcastStatus | "attempted", number>;
  infoBroadcasts: { recoveredCount: number; lostCount: number; recovered: string[]; lost: string[] };
  lostCount: number;
  duplicatedCount: number;
  reorderedCount: number;
}

export function checkTotalOrder(history: History, opts: TotalOrderOptions = {}): TotalOrderResult {
  const examplesMax = opts.examplesMax ?? 10;
  const listedMax = opts.listedMax ?? 100;
  const parsed = parseBroadcastHistory(history);
  const finals = finalsOf(parsed);
  const integrity = checkIntegrity(parsed, examplesMax);
  const positions = checkPositions(parsed, examplesMax);
  const loss = checkLoss(parsed, finals, examplesMax);
  const properties: Record<PropertyName, Property> = {
    integrity: integrity.integrity,
    agreement: checkAgreement(parsed, finals, integrity.deliveredAnywhere, examplesMax),
    "total-order": checkFinalPrefixes(parsed, finals, examplesMax),
    "no-loss": loss.noLoss,
    "order-fixed": positions.orderFixed,
    fifo: checkFifo(parsed, finals, examplesMax),
  };
  const noFinals = finals.nodes.length === 0;
  const unjudged = noFinals ? PROPERTY_NAMES.filter((name) => !JUDGED_WITHOUT_FINALS.has(name)) : [];
  const failed = PROPERTY_NAMES.filter(
    (name) => !properties[name].valid && (name !== "fifo" || opts.fifoRequired === true) && !unjudged.includes(name),
  );
  const broadcasts = { attempted: parsed.broadcastCount, ok: 0, fail: 0, info: 0, pending: 0 };
  for (const state of parsed.status) broadcasts[state]++;
  return {
    valid: failed.length > 0 ? false : noFinals ? "unknown" : true,
    ...(noFinals ? { error: "no final-deliveries read: agreement, loss and FIFO cannot be judged" } : {}),
    properties,
    failed,
    unjudged,
    correctNodes: finals.nodes,
    broadcasts,
    infoBroadcasts: {
      recoveredCount: loss.infoRecovered.length,
      lostCount: loss.infoLost.length,
      recovered: loss.infoRecovered.slice(0, listedMax),
      lost: loss.infoLost.slice(0, listedMax),
    },
    lostCount: loss.noLoss.count,
    duplicatedCount: countOnes(integrity.duplicated),
    reorderedCount: countOnes(positions.reordered),
    ...stableLatency(parsed, finals),
  };
}

function countOnes(flags: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < flags.length; i++) n += flags[i];
  return n;
}

export function totalOrderChecker(opts: TotalOrderOptions = {}): Checker {
  return {
    name: "total-order",
    check: async (history) => checkTotalOrder(history, opts),
  };
}
