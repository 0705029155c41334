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
 * Pairs every invocation with its completion by process. An op with no
 * invocation, or an invocation interrupted by another one of the same
 * process, is an error; an invocation that never completes is `info`.
 * Nemesis ops are fault markers, not operations, and are skipped.
 */
export function pairOperations(history: History, locate: Locate = defaultLocate): Operation[] {
  const open = new Map<Process, { op: Op; index: number }>();
  const done: Operation[] = [];
  const byInvoke: Array<Operation | undefined> = [];
  for (let i = 0; i < history.length; i++) {
    const op = history[i];
    if (op.process === NEMESIS) continue;
    if (op.type === "invoke") {
      const prior = open.get(op.process);
      if (prior !== undefined) {
        throw new InputError(
          `${locate(i)}: process ${String(op.process)} invokes ${op.f} while its ${prior.op.f} from ${locate(prior.index)} has no completion`,
        );
      }
      open.set(op.process, { op, index: i });
      continue;
    }
    const inv = open.get(op.process);
    if (inv === undefined) {
      throw new InputError(`${locate(i)}: ${op.type} ${op.f} of process ${String(op.process)} has no matching invoke`);
    }
    if (inv.op.f !== op.f) {
      throw new InputError(`${locate(i)}, field "f": completes ${op.f} but process ${String(op.process)} invoked ${inv.op.f} at ${locate(inv.index)}`);
    }
    open.delete(op.process);
    if (op.type === "fail") continue;
    const known = op.type === "ok";
    const operation: Operation = {
      id: -1,
      process: op.process,
      f: op.f,
      value: inv.op.value,
      output: known ? op.value : undefined,
      known,
      invoke: inv.index,
      complete: known ? i : Infinity,
    };
    const key = inv.op.key ?? op.key;
    if (key !== undefined) operation.key = key;
    byInvoke[inv.index] = operation;
  }
  for (const { op, index } of open.values()) {
    const operation: Operation = {
      id: -1, process: op.process, f: op.f, value: op.value, output: undefined, known: false, invoke: index, complete: Infinity,
    };
    if (op.key !== undefined) operation.key = op.key;
    byInvoke[index] = operation;
  }
  for (const operation of byInvoke) {
    if (operation === undefined) continue;
    operation.id = done.length;
    done.push(operation);
  }
  return done;
}
