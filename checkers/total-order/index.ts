/**
 * The total-order-broadcast checker. Input shapes: see ./parse.ts.
 *
 * Properties, each reported by name with counterexamples:
 *   integrity     every delivered message was broadcast (and not failed); no node delivers one twice
 *   agreement     a message any node delivered is in every correct node's final read
 *   total-order   every final read is a prefix of the longest one
 *   no-loss       every acknowledged broadcast is in some final read
 *   order-fixed   no read during the run, and no acknowledgement's seq, puts a
 *                 message at another position than the final one
 *   fifo          per-sender FIFO; reported, part of `valid` only with `fifoRequired`
 * Without any final read only integrity can be judged: `valid` is false or "unknown".
 * Cost: linear in the number of delivered messages read.
 */
import type { History } from "../../src/history/op.js";
import type { Checker, CheckResult } from "../checker.js";
import { parseBroadcastHistory, type BroadcastStatus } from "./parse.js";
import { checkAgreement, checkFifo, checkLoss, finalsOf, scanReads, type Property } from "./properties.js";
import { stableLatency, type StableLatency } from "./latency.js";

export interface TotalOrderOptions {
  /** count per-sender FIFO in `valid` (default false) */
  fifoRequired?: boolean;
  /** counterexamples kept per property (default 10) */
  examplesMax?: number;
  /** message names kept in the info recovered/lost lists (default 100) */
  listedMax?: number;
}

export interface TotalOrderResult extends CheckResult, StableLatency {
  properties: Record<"integrity" | "agreement" | "total-order" | "no-loss" | "order-fixed" | "fifo", Property>;
  /** names of the properties that failed and count toward `valid` */
  failed: string[];
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
  const scan = scanReads(parsed, finals, examplesMax);
  const agreement = checkAgreement(parsed, finals, scan, examplesMax);
  const loss = checkLoss(parsed, scan, examplesMax);
  const fifo = checkFifo(parsed, finals, examplesMax);
  const properties = {
    integrity: scan.integrity,
    agreement,
    "total-order": scan.totalOrder,
    "no-loss": loss.noLoss,
    "order-fixed": scan.orderFixed,
    fifo,
  };
  const noFinals = finals.byNode.size === 0;
  // without a final read only integrity can be judged: the rest compare against the final order
  const failed = Object.entries(properties)
    .filter(([name, property]) => !property.valid && (name !== "fifo" || opts.fifoRequired === true))
    .filter(([name]) => !noFinals || name === "integrity")
    .map(([name]) => name);
  const broadcasts = { attempted: parsed.broadcastCount, ok: 0, fail: 0, info: 0, pending: 0 };
  for (const state of parsed.status) broadcasts[state]++;
  return {
    valid: failed.length > 0 ? false : noFinals ? "unknown" : true,
    ...(noFinals ? { error: "no final-deliveries read: agreement and loss cannot be judged" } : {}),
    properties,
    failed,
    correctNodes: [...finals.byNode.keys()].sort(),
    broadcasts,
    infoBroadcasts: {
      recoveredCount: loss.infoRecovered.length,
      lostCount: loss.infoLost.length,
      recovered: loss.infoRecovered.slice(0, listedMax),
      lost: loss.infoLost.slice(0, listedMax),
    },
    lostCount: loss.lostCount,
    duplicatedCount: countOnes(scan.duplicated),
    reorderedCount: countOnes(scan.reordered),
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
