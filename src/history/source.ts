import type { History } from "./op.js";

/**
 * A history as read from a file, with where each op came from, so that
 * errors found later (an unmatched completion) can still name the line.
 */
export interface SourcedHistory {
  ops: History;
  /** 1-based source line of ops[i]. */
  lines: number[];
  format: HistoryFormat;
}

export type HistoryFormat = "jsonl" | "edn" | "porcupine-kv" | "porcupine-etcd";

export const HISTORY_FORMATS: readonly HistoryFormat[] = ["jsonl", "edn", "porcupine-kv", "porcupine-etcd"];
