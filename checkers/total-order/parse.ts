/**
 * Reads a broadcast history into compact arrays: messages become integer ids,
 * each read of a node's delivered sequence becomes an Int32Array of ids.
 *
 * Input shapes (anything else is an InputError naming the op's index):
 *   broadcast       invoke value: the message, a string unique in the history
 *                   ok value: {seq, index?, term?}, seq the 1-based delivery number
 *                   fail / info value: anything (ignored)
 *   deliveries      a read taken during the run; `node` set on the invoke or
 *                   the completion; ok value: string[], that node's delivered
 *                   messages in its order from position 1 (seq 1)
 *   final-deliveries the same, taken after every node was restarted and the
 *                   cluster healed; a node with one is "correct"
 * Ops with other `f`s, and nemesis ops, are ignored. Failed or timed-out reads
 * are ignored (they observed nothing).
 */
import type { History, Op } from "../../src/history/op.js";
import { isRecord, pairOps, shapeError } from "../perf/pairs.js";

export const CHECKER = "total-order";
export const F_BROADCAST = "broadcast";
export const F_READ = "deliveries";
export const F_FINAL_READ = "final-deliveries";

export type BroadcastStatus = "ok" | "fail" | "info" | "pending";

export interface Read {
  node: string;
  final: boolean;
  /** completion time: by then the node had delivered what the read shows */
  timeNs: number;
  opIndex: number;
  ids: Int32Array;
}

export interface Parsed {
  /** id -> message; ids below broadcastCount were broadcast */
  messages: string[];
  broadcastCount: number;
  status: BroadcastStatus[];
  invokeNs: Float64Array;
  /** the `seq` of an ok broadcast, 0 otherwise */
  ackSeq: Int32Array;
  invokeIndex: Int32Array;
  /** per process, its broadcast ids in invocation order */
  byProcess: Map<string | number, number[]>;
  reads: Read[];
}

export function parseBroadcastHistory(history: History): Parsed {
  const { count, invokeAt, completeAt } = pairOps(CHECKER, history);
  const idOf = new Map<string, number>();
  const messages: string[] = [];
  const status: BroadcastStatus[] = [];
  const invokeTimes: number[] = [];
  const acks: number[] = [];
  const invokeIdx: number[] = [];
  const byProcess = new Map<string | number, number[]>();
  const readPairs: { invoke: Op; complete: Op }[] = [];

  for (let p = 0; p < count; p++) {
    const invoke = history[invokeAt[p]];
    const complete = completeAt[p] < 0 ? undefined : history[completeAt[p]];
    if (invoke.f === F_READ || invoke.f === F_FINAL_READ) {
      if (complete?.type === "ok") readPairs.push({ invoke, complete });
      continue;
    }
    if (invoke.f !== F_BROADCAST) continue;
    const message = invoke.value;
    if (typeof message !== "string") shapeError(CHECKER, invoke, invoke.index, "broadcast invoke value must be the message string");
    const earlier = idOf.get(message);
    if (earlier !== undefined) {
      shapeError(
        CHECKER,
        invoke,
        invoke.index,
        `message ${JSON.stringify(message)} was already broadcast by op ${invokeIdx[earlier]}; messages must be unique`,
      );
    }
    let seq = 0;
    if (complete?.type === "ok") seq = ackSeqOf(complete.value, complete);
    idOf.set(message, messages.length);
    const list = byProcess.get(invoke.process) ?? [];
    list.push(messages.length);
    byProcess.set(invoke.process, list);
    messages.push(message);
    status.push(complete === undefined ? "pending" : (complete.type as BroadcastStatus));
    invokeTimes.push(invoke.time);
    acks.push(seq);
    invokeIdx.push(invoke.index);
  }
  const broadcastCount = messages.length;
  // reads mostly repeat one another: comparing with the longest read so far is cheaper than hashing
  let template: Template = { raw: [], ids: new Int32Array(0) };
  const reads = readPairs.map(({ invoke, complete }) => {
    const read = toRead(invoke, complete, idOf, messages, template);
    if (read.ids.length > template.ids.length) template = { raw: complete.value as unknown[], ids: read.ids };
    return read;
  });
  return {
    messages,
    broadcastCount,
    status,
    invokeNs: Float64Array.from(invokeTimes),
    ackSeq: Int32Array.from(acks),
    invokeIndex: Int32Array.from(invokeIdx),
    byProcess,
    reads,
  };
}

function ackSeqOf(value: unknown, op: { index: number }): number {
  if (!isRecord(value)) shapeError(CHECKER, op, op.index, "broadcast ok value must be an object {seq, index, term}");
  const seq = value.seq;
  if (typeof seq !== "number" || !Number.isInteger(seq) || seq < 1) {
    shapeError(CHECKER, op, op.index, `broadcast ok value needs \`seq\`, a positive integer; got ${JSON.stringify(seq)}`);
  }
  return seq;
}

interface Template {
  raw: unknown[];
  ids: Int32Array;
}

/** Messages nobody broadcast still get ids (from broadcastCount up) so integrity can name them. */
function toRead(
  invoke: { index: number; node?: string; f: string },
  complete: { index: number; node?: string; time: number; value: unknown },
  idOf: Map<string, number>,
  messages: string[],
  template: Template,
): Read {
  const node = complete.node ?? invoke.node;
  if (typeof node !== "string")
    shapeError(CHECKER, complete, complete.index, `${invoke.f} needs \`node\` (a string) on its invoke or completion`, "node");
  const value = complete.value;
  if (!Array.isArray(value)) shapeError(CHECKER, complete, complete.index, `${invoke.f} ok value must be an array of message strings`);
  const ids = new Int32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const message = value[i];
    if (i < template.raw.length && message === template.raw[i]) {
      ids[i] = template.ids[i];
      continue;
    }
    if (typeof message !== "string") {
      shapeError(CHECKER, complete, complete.index, `${invoke.f} element at position ${i + 1} is not a string: ${JSON.stringify(message)}`);
    }
    let id = idOf.get(message);
    if (id === undefined) {
      id = messages.length;
      idOf.set(message, id);
      messages.push(message);
    }
    ids[i] = id;
  }
  return { node, final: invoke.f === F_FINAL_READ, timeNs: complete.time, opIndex: complete.index, ids };
}
