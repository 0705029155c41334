/**
 * Pairing invocations with their completions: the one rule, used by every
 * checker, the perf columns and the reports (Jepsen's). A process has at most
 * one operation in flight; its next op after an `invoke` is that operation's
 * completion (`ok` | `fail` | `info`) with the same `f`, no earlier in time.
 * An invocation that never completes has an unknown outcome. Nemesis ops are
 * fault markers, not operations.
 *
 * Two modes break the rule differently:
 * - strict (checkers): a malformed history is an error, worded by the caller
 *   (a file's line for `tob check`, the checker's name for perf, ...);
 * - lenient (reports): what does not fit is counted and skipped, since a
 *   report must render whatever a crashed or odd run left behind.
 */
import { InputError } from "./input-error.js";
import { NEMESIS, type History, type Op, type Process } from "./op.js";

/** The fields pairing reads: a whole Op, or the reports' slimmer event. */
export type Pairable = Pick<Op, "process" | "type" | "f" | "time">;

/** An invocation still waiting for its completion, and its position. */
export interface Open<T extends Pairable = Op> {
  op: T;
  index: number;
}

/** How a history breaks the rule, at `index`. */
export type PairProblem<T extends Pairable = Op> =
  | { kind: "overlap"; index: number; op: T; prior: Open<T> }
  | { kind: "orphan"; index: number; op: T }
  | { kind: "f-mismatch"; index: number; op: T; invoke: Open<T> }
  | { kind: "time"; index: number; op: T; invoke: Open<T> };

/** Strict mode: the caller throws its own worded error for a problem. */
export type OnProblem<T extends Pairable = Op> = (problem: PairProblem<T>) => never;

/**
 * Pairs one op at a time, so a stream of any length is paired with memory
 * for the open calls only. `index` is the op's position (any increasing number).
 */
export class Pairing<T extends Pairable = Op> {
  /**
   * Open calls by process. Processes 0 .. SMALL_PROCESSES - 1, as most
   * histories number theirs, sit in an array: a hash lookup less per op.
   */
  private readonly openSmall = new Array<Open<T> | undefined>(SMALL_PROCESSES).fill(undefined);
  private readonly open = new Map<Process, Open<T>>();
  /** Lenient mode: completions with no open invoke on their process, skipped. */
  orphans = 0;
  /** Lenient mode: invocations cut short by their process's next invoke (their outcome is unknown). */
  overlapped = 0;

  /** `onProblem` set: strict; unset: lenient. */
  constructor(private readonly onProblem?: OnProblem<T>) {}

  /** For a client completion, its invocation; undefined for an invoke, a nemesis op, or (lenient) an orphan. */
  push(op: T, index: number): Open<T> | undefined {
    const process = op.process;
    if (process === NEMESIS) return undefined;
    const small = isSmall(process);
    const prior = small ? this.openSmall[process as number] : this.open.get(process);
    if (op.type === "invoke") {
      if (prior !== undefined) {
        this.onProblem?.({ kind: "overlap", index, op, prior });
        this.overlapped++;
      }
      if (small) this.openSmall[process as number] = { op, index };
      else this.open.set(process, { op, index });
      return undefined;
    }
    if (prior === undefined) {
      this.onProblem?.({ kind: "orphan", index, op });
      this.orphans++;
      return undefined;
    }
    if (this.onProblem !== undefined) {
      if (prior.op.f !== op.f) this.onProblem({ kind: "f-mismatch", index, op, invoke: prior });
      if (op.time < prior.op.time) this.onProblem({ kind: "time", index, op, invoke: prior });
    }
    if (small) this.openSmall[process as number] = undefined;
    else this.open.delete(process);
    return prior;
  }

  /** Invocations that never completed, in no particular order. */
  unfinished(): Open<T>[] {
    return [...this.openSmall.filter((open) => open !== undefined), ...this.open.values()];
  }
}

const SMALL_PROCESSES = 256;

const isSmall = (process: Process): boolean =>
  typeof process === "number" && process >= 0 && process < SMALL_PROCESSES && Number.isInteger(process);

/**
 * One client operation: an invocation and what became of it. `fail` ops are
 * gone by now (they certainly did not happen); `info` ones, and invocations
 * that never completed, have an unknown outcome and no completion deadline.
 */
export interface Operation {
  /** Dense, in invocation order. */
  id: number;
  process: Process;
  f: string;
  key?: string;
  /** The invocation's value (a write's argument, a cas's [from, to]). */
  value: unknown;
  /** The ok completion's value (what a read saw); undefined when the outcome is unknown. */
  output: unknown;
  known: boolean;
  /** History index of the invocation. */
  invoke: number;
  /** History index of the completion; Infinity when the outcome is unknown. */
  complete: number;
}

/** Names an op's place (and the field at fault, when one is) for error messages; the reader knows the lines. */
export type Locate = (index: number, field?: string) => string;

const defaultLocate: Locate = (i, field) => `op ${i}${field === undefined ? "" : `, field "${field}"`}`;

/** Strict problems worded with the op's place (a file's line when the reader knows it). */
export function locatedProblem(locate: Locate): OnProblem {
  return (p) => {
    const who = `process ${String(p.op.process)}`;
    switch (p.kind) {
      case "overlap":
        throw new InputError(
          `${locate(p.index)}: ${who} invokes ${p.op.f} while its ${p.prior.op.f} from ${locate(p.prior.index)} has no completion`,
        );
      case "orphan":
        throw new InputError(`${locate(p.index)}: ${p.op.type} ${p.op.f} of ${who} has no matching invoke`);
      case "f-mismatch":
        throw new InputError(
          `${locate(p.index)}, field "f": completes ${p.op.f} but ${who} invoked ${p.invoke.op.f} at ${locate(p.invoke.index)}`,
        );
      case "time":
        throw new InputError(`${locate(p.index)}, field "time": completes before its invocation at ${locate(p.invoke.index)}`);
    }
  };
}

/**
 * Pairs ops into Operations (strict), one at a time: the operation an ok or
 * info completes comes out of `push` (id -1, for the caller to number).
 */
export class Pairer {
  private readonly pairing: Pairing;

  constructor(locate: Locate = defaultLocate) {
    this.pairing = new Pairing(locatedProblem(locate));
  }

  push(op: Op, index: number): Operation | undefined {
    const invoke = this.pairing.push(op, index);
    if (invoke === undefined || op.type === "fail") return undefined;
    const known = op.type === "ok";
    return operation(invoke, known ? op : undefined, index);
  }

  /** Invocations that never completed: their outcome is unknown (`info`). */
  unfinished(): Operation[] {
    return this.pairing.unfinished().map((invoke) => operation(invoke, undefined, Infinity));
  }
}

function operation(invoke: Open, ok: Op | undefined, completeIndex: number): Operation {
  const result: Operation = {
    id: -1,
    process: invoke.op.process,
    f: invoke.op.f,
    value: invoke.op.value,
    output: ok?.value,
    known: ok !== undefined,
    invoke: invoke.index,
    complete: ok !== undefined ? completeIndex : Infinity,
  };
  const key = invoke.op.key ?? ok?.key;
  if (key !== undefined) result.key = key;
  return result;
}

/** Pairs a whole history (strict); operations come out numbered in invocation order. */
export function pairOperations(history: History, locate: Locate = defaultLocate): Operation[] {
  const pairer = new Pairer(locate);
  // Filled up front: writes far past the end of an empty array would make it a slow dictionary.
  const byInvoke = new Array<Operation | undefined>(history.length).fill(undefined);
  for (let i = 0; i < history.length; i++) {
    const operation = pairer.push(history[i], i);
    if (operation !== undefined) byInvoke[operation.invoke] = operation;
  }
  for (const operation of pairer.unfinished()) byInvoke[operation.invoke] = operation;
  const done: Operation[] = [];
  for (const operation of byInvoke) {
    if (operation === undefined) continue;
    operation.id = done.length;
    done.push(operation);
  }
  return done;
}
