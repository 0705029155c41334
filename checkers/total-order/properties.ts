/**
 * The total order broadcast properties, each a linear pass over the reads.
 *
 * The reference order is the longest final read: under total order every
 * other read (final or not) is a prefix of it, so each position is compared
 * with the reference position, never pairwise between nodes.
 */
import type { Parsed, Read } from "./parse.js";

export interface Property {
  valid: boolean;
  /** how many violations (messages or reads, as each example says) */
  count: number;
  /** the first few counterexamples */
  examples: Record<string, unknown>[];
}

export interface Finals {
  /** the last final read of each correct node */
  byNode: Map<string, Read>;
  reference: Int32Array;
}

class Tally implements Property {
  valid = true;
  count = 0;
  examples: Record<string, unknown>[] = [];
  constructor(private readonly examplesMax: number) {}
  add(example: () => Record<string, unknown>): void {
    this.valid = false;
    this.count++;
    if (this.examples.length < this.examplesMax) this.examples.push(example());
  }
}

export function finalsOf(parsed: Parsed): Finals {
  const byNode = new Map<string, Read>();
  for (const read of parsed.reads) if (read.final) byNode.set(read.node, read);
  let reference: Int32Array = new Int32Array(0);
  for (const read of byNode.values()) if (read.ids.length > reference.length) reference = read.ids;
  return { byNode, reference };
}

export interface ReadScan {
  integrity: Property;
  totalOrder: Property;
  orderFixed: Property;
  /** how many correct nodes' final reads hold each id */
  finalCount: Int32Array;
  deliveredAnywhere: Uint8Array;
  reordered: Uint8Array;
  duplicated: Uint8Array;
}

/** Integrity, total order and order-fixed-at-delivery, in one pass over every read. */
export function scanReads(parsed: Parsed, finals: Finals, examplesMax: number): ReadScan {
  const idCount = parsed.messages.length;
  const { reference } = finals;
  const integrity = new Tally(examplesMax);
  const totalOrder = new Tally(examplesMax);
  const orderFixed = new Tally(examplesMax);
  const finalCount = new Int32Array(idCount);
  const deliveredAnywhere = new Uint8Array(idCount);
  const reordered = new Uint8Array(idCount);
  const duplicated = new Uint8Array(idCount);
  // stamp[id] = number of the last read that held id: finds duplicates without a Set per read
  const stamp = new Int32Array(idCount).fill(-1);
  const { messages, broadcastCount, status } = parsed;

  for (let r = 0; r < parsed.reads.length; r++) {
    const read = parsed.reads[r];
    const ids = read.ids;
    const isCountedFinal = read.final && finals.byNode.get(read.node) === read;
    const own = finals.byNode.get(read.node)?.ids ?? reference;
    let orderReported = false;
    let fixedReported = false;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      deliveredAnywhere[id] = 1;
      if (id >= broadcastCount) {
        integrity.add(() => ({ kind: "not-broadcast", node: read.node, op: read.opIndex, seq: i + 1, message: messages[id] }));
      } else if (status[id] === "fail") {
        integrity.add(() => ({ kind: "failed-broadcast-delivered", node: read.node, op: read.opIndex, seq: i + 1, message: messages[id] }));
      }
      if (stamp[id] === r) {
        duplicated[id] = 1;
        integrity.add(() => ({ kind: "duplicate", node: read.node, op: read.opIndex, seq: i + 1, message: messages[id] }));
        continue;
      }
      stamp[id] = r;
      if (isCountedFinal) finalCount[id]++;
      if (reference[i] !== id) reordered[id] = 1;
      if (read.final && reference[i] !== id && !orderReported) {
        orderReported = true;
        totalOrder.add(() => ({
          node: read.node, op: read.opIndex, seq: i + 1, message: messages[id],
          referenceMessage: i < reference.length ? messages[reference[i]] : null,
          explanation: `node ${read.node}'s final sequence is not a prefix of the longest final sequence: at seq ${i + 1} it has ${JSON.stringify(messages[id])}`,
        }));
      }
      if (!read.final && own[i] !== id && !fixedReported) {
        fixedReported = true;
        orderFixed.add(() => ({
          node: read.node, op: read.opIndex, seq: i + 1, message: messages[id],
          finalMessage: i < own.length ? messages[own[i]] : null,
          explanation: `a read of node ${read.node} during the run showed ${JSON.stringify(messages[id])} at seq ${i + 1}, the final order has ${i < own.length ? JSON.stringify(messages[own[i]]) : "nothing"} there`,
        }));
      }
    }
  }
  checkAckSeqs(parsed, reference, orderFixed, reordered);
  return { integrity, totalOrder, orderFixed, finalCount, deliveredAnywhere, reordered, duplicated };
}

/** An acknowledgement's `seq` is an observation of the order too: it must be the final position. */
function checkAckSeqs(parsed: Parsed, reference: Int32Array, orderFixed: Tally, reordered: Uint8Array): void {
  const { ackSeq, messages } = parsed;
  for (let id = 0; id < parsed.broadcastCount; id++) {
    const seq = ackSeq[id];
    if (seq === 0 || seq > reference.length) continue; // not acked, or not delivered (no-loss reports it)
    if (reference[seq - 1] === id) continue;
    reordered[id] = 1;
    orderFixed.add(() => ({
      kind: "ack-seq", op: parsed.invokeIndex[id], seq, message: messages[id],
      finalMessage: messages[reference[seq - 1]],
      explanation: `the broadcast of ${JSON.stringify(messages[id])} was acknowledged at seq ${seq}, the final order has ${JSON.stringify(messages[reference[seq - 1]])} there`,
    }));
  }
}

/** A message any node delivered (uniform agreement) must be in every correct node's final read. */
export function checkAgreement(parsed: Parsed, finals: Finals, scan: ReadScan, examplesMax: number): Property {
  const tally = new Tally(examplesMax);
  const nodes = [...finals.byNode.values()];
  for (let id = 0; id < parsed.messages.length; id++) {
    if (scan.deliveredAnywhere[id] === 0 || scan.finalCount[id] === nodes.length) continue;
    tally.add(() => ({
      message: parsed.messages[id],
      missingOn: nodes.filter((read) => read.ids.indexOf(id) < 0).map((read) => read.node),
    }));
  }
  return tally;
}

export interface LossResult {
  noLoss: Property;
  lostCount: number;
  infoRecovered: string[];
  infoLost: string[];
}

/** Acknowledged broadcasts must be in some final read; unknown ones are sorted into recovered or lost. */
export function checkLoss(parsed: Parsed, scan: ReadScan, examplesMax: number): LossResult {
  const noLoss = new Tally(examplesMax);
  const infoRecovered: string[] = [];
  const infoLost: string[] = [];
  for (let id = 0; id < parsed.broadcastCount; id++) {
    const inFinal = scan.finalCount[id] > 0;
    const state = parsed.status[id];
    if (state === "ok" && !inFinal) {
      noLoss.add(() => ({ message: parsed.messages[id], op: parsed.invokeIndex[id], explanation: `acknowledged at seq ${parsed.ackSeq[id]}, in no final read` }));
    } else if (state === "info" || state === "pending") {
      (inFinal ? infoRecovered : infoLost).push(parsed.messages[id]);
    }
  }
  return { noLoss, lostCount: noLoss.count, infoRecovered, infoLost };
}

/**
 * Per-sender FIFO: once a process's broadcast of m1 is acknowledged, its later
 * broadcasts come after m1 in the order. (An info broadcast binds nothing: it
 * may take effect at any later time.)
 */
export function checkFifo(parsed: Parsed, finals: Finals, examplesMax: number): Property {
  const tally = new Tally(examplesMax);
  const position = new Int32Array(parsed.messages.length).fill(-1);
  for (let i = 0; i < finals.reference.length; i++) if (position[finals.reference[i]] < 0) position[finals.reference[i]] = i;
  for (const [process, ids] of parsed.byProcess) {
    let ackedMaxPos = -1;
    let ackedMaxId = -1;
    for (const id of ids) {
      const pos = position[id];
      if (pos >= 0 && pos < ackedMaxPos) {
        tally.add(() => ({
          process, message: parsed.messages[id], seq: pos + 1, earlier: parsed.messages[ackedMaxId], earlierSeq: ackedMaxPos + 1,
          explanation: `process ${process} broadcast ${JSON.stringify(parsed.messages[ackedMaxId])} (acknowledged) before ${JSON.stringify(parsed.messages[id])}, yet it is delivered after it`,
        }));
      }
      if (parsed.status[id] === "ok" && pos > ackedMaxPos) {
        ackedMaxPos = pos;
        ackedMaxId = id;
      }
    }
  }
  return tally;
}
