/**
 * One history event, with Jepsen's fields (see docs/ARCHITECTURE.md, "Seams").
 *
 * An operation is a pair: an `invoke` and its completion by the same process
 * (`ok`, `fail` or `info`). `info` means the outcome is unknown: the operation
 * may have taken effect at any time after its invocation, or never. `fail`
 * means it certainly did not take effect.
 */
export type OpType = "invoke" | "ok" | "fail" | "info";

export type Process = number | string; // a client id, or "nemesis"

export const NEMESIS: Process = "nemesis";

/** An op of a client, not of the nemesis. */
export const isClientOp = (op: { process: Process }): boolean => op.process !== NEMESIS;

/** Op times are nanoseconds; these convert them, here and only here. */
export const NS_PER_MS = 1_000_000;
export const NS_PER_S = 1_000_000_000;

export interface Op {
  /** Position in the history, 0-based, dense. */
  index: number;
  /** Nanoseconds since the run's start, from one monotonic clock. */
  time: number;
  process: Process;
  type: OpType;
  /** The function: "read", "write", "cas", "broadcast", "acquire", "kill", ... */
  f: string;
  value: unknown;
  /** For per-key (P-compositional) checking. */
  key?: string;
  /** The node the client talked to. */
  node?: string;
  error?: string;
  /** On a completion: times the client resent the request under an exactly-once session after an unknown outcome. */
  retries?: number;
}

export type History = Op[];
