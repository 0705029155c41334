import { InputError } from "./input-error.js";
import { NEMESIS, type History, type Op, type Process } from "./op.js";

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

/** Names an op's place for error messages; the reader knows the lines. */
export type Locate = (index: number) => string;

const defaultLocate: Locate = (i) => `op ${i}`;

/**
 * Pairs invocations with completions by process, one op at a time, so a
 * stream of any length can be paired with memory for the open calls only. An
 * op with no invocation, or an invocation interrupted by another one of the
 * same process, is an error. Nemesis ops are fault markers, not operations,
 * and are skipped. `index` is the op's position (any increasing number).
 */
export class Pairer {
  private readonly open = new Map<Process, { op: Op; index: number }>();

  constructor(private readonly locate: Locate = defaultLocate) {}

  /** The operation an ok or info completes (id -1, for the caller to number); undefined otherwise. */
  push(op: Op, index: number): Operation | undefined {
    const { locate } = this;
    if (op.process === NEMESIS) return undefined;
    if (op.type === "invoke") {
      const prior = this.open.get(op.process);
      if (prior !== undefined) {
        throw new InputError(
          `${locate(index)}: process ${String(op.process)} invokes ${op.f} while its ${prior.op.f} from ${locate(prior.index)} has no completion`,
        );
      }
      this.open.set(op.process, { op, index });
      return undefined;
    }
    const inv = this.open.get(op.process);
    if (inv === undefined) {
      throw new InputError(`${locate(index)}: ${op.type} ${op.f} of process ${String(op.process)} has no matching invoke`);
    }
    if (inv.op.f !== op.f) {
      throw new InputError(`${locate(index)}, field "f": completes ${op.f} but process ${String(op.process)} invoked ${inv.op.f} at ${locate(inv.index)}`);
    }
    this.open.delete(op.process);
    if (op.type === "fail") return undefined;
    const known = op.type === "ok";
    const operation: Operation = {
      id: -1,
      process: op.process,
      f: op.f,
      value: inv.op.value,
      output: known ? op.value : undefined,
      known,
      invoke: inv.index,
      complete: known ? index : Infinity,
    };
    const key = inv.op.key ?? op.key;
    if (key !== undefined) operation.key = key;
    return operation;
  }

  /** Invocations that never completed: their outcome is unknown (`info`). */
  unfinished(): Operation[] {
    return [...this.open.values()].map(({ op, index }) => {
      const operation: Operation = { id: -1, process: op.process, f: op.f, value: op.value, output: undefined, known: false, invoke: index, complete: Infinity };
      if (op.key !== undefined) operation.key = op.key;
      return operation;
    });
  }
}

/** Pairs a whole history; operations come out numbered in invocation order. */
export function pairOperations(history: History, locate: Locate = defaultLocate): Operation[] {
  const pairer = new Pairer(locate);
  const byInvoke: Array<Operation | undefined> = [];
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
