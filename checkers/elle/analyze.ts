/**
 * What the list-append and rw-register checkers share once each has its
 * txns and dependency edges: the choice of session edges from the models
 * checked, real-time and process edges, the cycle search, and the result in
 * Elle's shape.
 */
import type { CheckResult } from "../checker.js";
import { Anomalies } from "./anomalies.js";
import { findCycles, type ExplainCycle } from "./cycles.js";
import { freeze, type EdgeList } from "./graph.js";
import { anomaliesProhibitedBy, boundary, sessionEdgesFor } from "./models.js";
import { processEdges, timeChain } from "./session.js";
import { FAIL, INFO, OK, type TxnColumns } from "./txns.js";
import type { Workspace } from "./workspace.js";

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

export interface Plan {
  models: string[];
  prohibited: Set<string>;
  realtime: boolean;
  /** process edges, only without real-time ones (which imply them) */
  process: boolean;
  anomalies: Anomalies;
}

export function plan(opts: ElleOptions): Plan {
  const models = opts.consistencyModels ?? DEFAULT_MODELS;
  const prohibited = anomaliesProhibitedBy(models);
  const session = sessionEdgesFor(prohibited);
  const realtime = opts.realtime ?? session.realtime;
  const process = (opts.process ?? (session.process || session.realtime)) && !realtime;
  return { models, prohibited, realtime, process, anomalies: new Anomalies(opts.anomaliesMax ?? 20) };
}

/** `edges` holds the dependency edges, with room for one process edge per txn when the plan wants them. */
export function finish(how: Plan, txns: TxnColumns, edges: EdgeList, explain: ExplainCycle, keyCount: number, work: Workspace): ElleResult {
  const { anomalies, prohibited } = how;
  if (how.process) processEdges(txns, edges);
  const time = how.realtime ? timeChain(txns) : null;
  const ticks = time === null ? 0 : time.firstTxn.length - 1;
  const edgeCount = edges.size + (time?.edgeCount ?? 0);
  const graph = freeze(edges, txns.count + ticks, txns.count, time);
  // freeze left the edge list's source column spent: the cycle search may reuse it
  const cyclic = findCycles(
    graph,
    txns.count,
    explain,
    anomalies,
    { startsMax: 4, rwTriesMax: 256, rwVisitsMax: 4_000_000 },
    edges.from,
    work,
  );
  const types = [...anomalies.counts.keys()].sort();
  const byStatus = [0, 0, 0];
  for (let t = 0; t < txns.count; t++) byStatus[txns.status[t]]++;
  return {
    valid: !types.some((type) => prohibited.has(type)),
    "anomaly-types": types,
    anomalies: Object.fromEntries(types.map((type) => [type, anomalies.byType.get(type)!])),
    "anomaly-counts": Object.fromEntries(types.map((type) => [type, anomalies.counts.get(type)!])),
    ...boundary(types),
    "consistency-models": how.models,
    stats: {
      txns: txns.count,
      ok: byStatus[OK],
      info: byStatus[INFO],
      fail: byStatus[FAIL],
      keys: keyCount,
      edges: edgeCount,
      "cyclic-components": cyclic,
    },
  };
}
