/**
 * An Elle-style checker for list-append histories. Input shapes: ./parse.ts.
 *
 * Pipeline: parse (and check each txn's internal consistency) -> version
 * orders from reads (./orders.ts: incompatible orders, duplicates, G1a, G1b,
 * garbage reads, ww/wr/rw edges) -> real-time and process edges
 * (./session.ts) -> cycles (./cycles.ts: G0, G1c, G-single, G2-item and their
 * -process / -realtime forms). The result is shaped like Elle's: `valid`,
 * `anomaly-types`, `anomalies` (by type, each with an explanation).
 * Cost: linear in micro-ops and read elements, plus the cycle search, which
 * only runs inside cyclic components.
 */
import type { History } from "../../src/history/op.js";
import type { Checker, CheckResult } from "../checker.js";
import { Anomalies } from "./anomalies.js";
import { findCycles } from "./cycles.js";
import { EdgeList, freeze } from "./graph.js";
import { dependencyEdges } from "./orders.js";
import { anomaliesProhibitedBy, boundary, sessionEdgesFor } from "./models.js";
import { FAIL, INFO, OK, parseTxns } from "./parse.js";
import { processEdges, timeChain } from "./session.js";

export interface ElleOptions {
  /**
   * The models the history must satisfy (default ["strict-serializable"]);
   * valid means no anomaly any of them prohibits (./models.ts). Every
   * anomaly found is reported either way.
   */
  consistencyModels?: string[];
  /** add real-time edges (default: when the models prohibit a -realtime anomaly) */
  realtime?: boolean;
  /** add process edges (default: when the models prohibit a -process anomaly; implied by real time) */
  process?: boolean;
  /** anomalies kept per type (default 20); all are counted */
  anomaliesMax?: number;
}

export interface ElleResult extends CheckResult {
  valid: boolean;
  "anomaly-types": string[];
  anomalies: Record<string, Record<string, unknown>[]>;
  "anomaly-counts": Record<string, number>;
  /** the weakest models the anomalies rule out, and the stronger ones with them (Elle's boundary) */
  not: string[];
  "also-not": string[];
  /** the models checked against, as given */
  "consistency-models": string[];
  stats: { txns: number; ok: number; info: number; fail: number; keys: number; edges: number; "cyclic-components": number };
}

export const DEFAULT_MODELS = ["strict-serializable"];

export function checkListAppend(history: History, opts: ElleOptions = {}): ElleResult {
  const models = opts.consistencyModels ?? DEFAULT_MODELS;
  const prohibited = anomaliesProhibitedBy(models);
  const session = sessionEdgesFor(prohibited);
  const anomalies = new Anomalies(opts.anomaliesMax ?? 20);
  const txns = parseTxns(history, anomalies);
  const realtime = opts.realtime ?? session.realtime;
  const withProcess = (opts.process ?? (session.process || session.realtime)) && !realtime;
  // sized by its bound (ww <= appends, wr and rw <= reads, one process edge per txn): never copied to grow
  const edges = new EdgeList(txns.appends + 2 * txns.reads + (withProcess ? txns.count : 0) + 16);
  const orders = dependencyEdges(txns, anomalies, edges);
  if (withProcess) processEdges(txns, edges);
  const time = realtime ? timeChain(txns) : null;
  const ticks = time === null ? 0 : time.firstTxn.length - 1;
  const edgeCount = edges.size + (time?.edgeCount ?? 0);
  const graph = freeze(edges, txns.count + ticks, txns.count, time);
  // freeze left the edge list's source column spent: the cycle search may reuse it
  const cyclic = findCycles(graph, txns, orders, anomalies, { startsMax: 4, rwTriesMax: 256, rwVisitsMax: 4_000_000 }, edges.from);
  const types = [...anomalies.counts.keys()].sort();
  const byStatus = [0, 0, 0];
  for (let t = 0; t < txns.count; t++) byStatus[txns.status[t]]++;
  return {
    valid: !types.some((type) => prohibited.has(type)),
    "anomaly-types": types,
    anomalies: Object.fromEntries(types.map((type) => [type, anomalies.byType.get(type)!])),
    "anomaly-counts": Object.fromEntries(types.map((type) => [type, anomalies.counts.get(type)!])),
    ...boundary(types),
    "consistency-models": models,
    stats: {
      txns: txns.count, ok: byStatus[OK], info: byStatus[INFO], fail: byStatus[FAIL],
      keys: txns.keys.length, edges: edgeCount, "cyclic-components": cyclic,
    },
  };
}

export function elleListAppendChecker(opts: ElleOptions = {}): Checker {
  return {
    name: "elle-list-append",
    check: async (history) => checkListAppend(history, opts),
  };
}
