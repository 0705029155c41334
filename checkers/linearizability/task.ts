/**
 * One share of a check, as plain data (models cannot cross threads; they are
 * rebuilt by name). Partitions sit encoded in `partitions`, biggest first;
 * threads claim them with an atomic counter, so a thread that finishes early
 * takes more (work stealing without a coordinator).
 */
export interface WorkerTask {
  modelName: string;
  initial: unknown;
  partitions: SharedArrayBuffer;
  /** Int32Array: [next partition to claim, 1 once any thread found the history illegal or the check was aborted]. */
  control: SharedArrayBuffer;
  deadlineMs: number;
  memoryBytesMax: number;
}

export const NEXT = 0;
export const CANCELLED = 1;
