import type { History } from "../../src/history/op.js";
import type { HistoryFormat } from "../../src/history/source.js";
import type { CheckResult } from "../checker.js";

/** A history as read from a file or a request body. */
export interface CheckerInput {
  ops: History;
  format: HistoryFormat;
  /** the source line of ops[i], and what errors call the source ("h.jsonl", "request body") */
  lines: number[];
  name: string;
}

/** Every option any checker takes; each checker reads its own and ignores the rest. */
export interface RunOptions {
  /** linearizable: the model (default guessed from the ops) and its initial state */
  model?: string;
  initial?: unknown;
  /** linearizable: the search's budget; past it the verdict is "unknown" */
  timeoutMs: number;
  /** linearizable: worker threads (0: none, as the service wants) */
  workers?: number;
  /** elle: the models to check against (Elle's names) */
  consistencyModels?: string[];
  /** a page title for the HTML view */
  title: string;
}

/** One checker's answer on one history. */
export interface Outcome {
  /** the registry name of the checker that ran (an alias resolves to it) */
  checker: string;
  result: CheckResult;
  /** for people: the verdict, then what explains it */
  summary: string[];
  /** a self-contained page explaining the result, rendered on demand */
  html(): string;
  /** what the CLI's --shrink needs (linearizable, Elle and total order) */
  shrinkable?: unknown;
}

export interface CheckerEntry {
  name: string;
  description: string;
  /** the op functions it reads; null: every client op (the model decides) */
  fs: readonly string[] | null;
  run(input: CheckerInput, opts: RunOptions): Promise<Outcome>;
}
