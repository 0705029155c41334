/**
 * Order fixed at delivery, from positional claims. Each read (final or not)
 * claims "message m is at seq p" for the first place it holds each message (a
 * second copy is integrity's concern), and each acknowledgement claims its
 * message is at its `seq`, wherever that points, past the end of every read
 * included. Two claims conflict when they put one message at two positions, or
 * two messages at one position.
 *
 *   order-fixed  no claim made during the run (a read other than a final one,
 *                or an acknowledgement) conflicts with any other claim
 *
 * (Conflicts between final reads alone are total order's, ./properties.ts.)
 * A message is "reordered" when the claims put it at more than one position.
 */
import type { Parsed } from "./parse.js";
import { Tally, type Property } from "./tally.js";

/** For each position and each message, the first two distinct values claimed. */
class Claims {
  private readonly firstAt: Int32Array;
  private readonly secondAt: Int32Array;
  /** positions past every read, where only acknowledgements point: [first, second] */
  private readonly farAt = new Map<number, [number, number]>();
  readonly firstPos: Float64Array;
  readonly secondPos: Float64Array;

  constructor(idCount: number, readLengthMax: number) {
    this.firstAt = new Int32Array(readLengthMax + 1).fill(-1);
    this.secondAt = new Int32Array(readLengthMax + 1).fill(-1);
    this.firstPos = new Float64Array(idCount);
    this.secondPos = new Float64Array(idCount);
  }

  add(id: number, seq: number): void {
    if (seq < this.firstAt.length) {
      if (this.firstAt[seq] < 0) this.firstAt[seq] = id;
      else if (this.firstAt[seq] !== id && this.secondAt[seq] < 0) this.secondAt[seq] = id;
    } else {
      const at = this.farAt.get(seq);
      if (at === undefined) this.farAt.set(seq, [id, -1]);
      else if (at[0] !== id && at[1] < 0) at[1] = id;
    }
    if (this.firstPos[id] === 0) this.firstPos[id] = seq;
    else if (this.firstPos[id] !== seq && this.secondPos[id] === 0) this.secondPos[id] = seq;
  }

  /** Another message claimed at seq, or -1. */
  otherAt(id: number, seq: number): number {
    const [first, second] = seq < this.firstAt.length ? [this.firstAt[seq], this.secondAt[seq]] : (this.farAt.get(seq) ?? [-1, -1]);
    return first === id ? second : first;
  }

  /** Another position claimed for id, or 0. */
  otherPos(id: number, seq: number): number {
    return this.firstPos[id] === seq ? this.secondPos[id] : this.firstPos[id];
  }
}

export interface PositionScan {
  orderFixed: Property;
  reordered: Uint8Array;
}

export function checkPositions(parsed: Parsed, examplesMax: number): PositionScan {
  const { messages, reads, ackSeq } = parsed;
  let readLengthMax = 0;
  for (const read of reads) readLengthMax = Math.max(readLengthMax, read.ids.length);
  const claims = new Claims(messages.length, readLengthMax);
  // seen[id] = number of the last read that held id: only a message's first place in a read is a claim
  const seen = new Int32Array(messages.length).fill(-1);
  for (let r = 0; r < reads.length; r++) {
    const ids = reads[r].ids;
    for (let i = 0; i < ids.length; i++) {
      if (seen[ids[i]] === r) continue;
      seen[ids[i]] = r;
      claims.add(ids[i], i + 1);
    }
  }
  for (let id = 0; id < parsed.broadcastCount; id++) if (ackSeq[id] > 0) claims.add(id, ackSeq[id]);

  const orderFixed = new Tally(examplesMax);
  const describe = (id: number, seq: number) => {
    const otherMessage = claims.otherAt(id, seq);
    const otherSeq = claims.otherPos(id, seq);
    const clash =
      otherMessage >= 0
        ? `another observation has ${JSON.stringify(messages[otherMessage])} at seq ${seq}`
        : `another observation has it at seq ${otherSeq}`;
    return { seq, message: messages[id], ...(otherMessage >= 0 ? { otherMessage: messages[otherMessage] } : { otherSeq }), clash };
  };
  const conflicts = (id: number, seq: number) => claims.otherAt(id, seq) >= 0 || claims.otherPos(id, seq) > 0;
  seen.fill(-1);
  for (let r = 0; r < reads.length; r++) {
    const read = reads[r];
    if (read.final) continue;
    for (let i = 0; i < read.ids.length; i++) {
      const id = read.ids[i];
      if (seen[id] === r) continue; // a second copy in this read is no claim
      seen[id] = r;
      if (!conflicts(id, i + 1)) continue;
      orderFixed.add(() => {
        const { clash, ...witness } = describe(id, i + 1);
        return {
          kind: "read",
          node: read.node,
          op: read.opIndex,
          ...witness,
          explanation: `a read of node ${read.node} during the run showed ${JSON.stringify(messages[id])} at seq ${i + 1}; ${clash}`,
        };
      });
      break; // one witness per read
    }
  }
  for (let id = 0; id < parsed.broadcastCount; id++) {
    const seq = ackSeq[id];
    if (seq === 0 || !conflicts(id, seq)) continue;
    orderFixed.add(() => {
      const { clash, ...witness } = describe(id, seq);
      return {
        kind: "ack-seq",
        op: parsed.invokeIndex[id],
        ...witness,
        explanation: `the broadcast of ${JSON.stringify(messages[id])} was acknowledged at seq ${seq}; ${clash}`,
      };
    });
  }
  const reordered = new Uint8Array(messages.length);
  for (let id = 0; id < messages.length; id++) if (claims.secondPos[id] > 0) reordered[id] = 1;
  return { orderFixed, reordered };
}
