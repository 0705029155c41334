/** Messages between the service and its check workers (worker.ts). */

export interface CheckJob {
  id: string;
  /** The worker's own file for the body (the readers take a path); the pool owns its folder. */
  scratchPath: string;
  body: string;
  /** a registry name (checkers/registry); absent: inferred from the ops */
  checker?: string;
  /** linearizable: the model; absent: guessed from the ops */
  model?: string;
  /** elle: the consistency models to check against */
  consistencyModels?: string[];
  /** Forced history format; absent means detected from the content. */
  format?: string;
  /** Initial model state as JSON text, like `tob check --initial`. */
  initial?: string;
  timeoutMs: number;
}

export interface CheckProgress {
  phase: "parsing" | "checking" | "rendering";
  /** Operations read so far (parsing) or in the history (later phases). */
  ops?: number;
  /** Per-key partitions decided so far, when the checker reports them. */
  partitionsDone?: number;
  partitionsTotal?: number;
}

/** What a finished job yields: a verdict, or input the readers/checker refused. */
export type JobOutcome =
  | {
      kind: "result";
      checker: string;
      result: { valid: true | false | "unknown"; [field: string]: unknown };
      ops: number;
      timelineHtml?: string;
    }
  | { kind: "input-error"; message: string; line?: number };

export type WorkerMessage =
  | { kind: "progress"; id: string; progress: CheckProgress }
  | { kind: "done"; id: string; outcome: JobOutcome }
  | { kind: "crashed"; id: string; message: string };
