/**
 * The total order broadcast properties that compare sequences, each a linear
 * pass over the reads. Every definition looks at the set of reads, never at
 * their order in the file, so the verdicts do not depend on it:
 *
 *   integrity    every message in any read was broadcast, by a broadcast that
 *                did not fail; no read holds a message twice
 *   total-order  the final reads are prefixes of one sequence: any two agree
 *                at every position both have
 *   agreement    a message in any read is in some final read of every correct
 *                node (a node with a final read)
 *   no-loss      every acknowledged broadcast is in some final read
 *   fifo         a process's acknowledged broadcast comes, in the final order,
 *                before the broadcasts it invoked later
 *
 * The final position of a message is its first position in a final read (the
 * least, if the final reads disagree). Order fixed at delivery is ./positions.ts.
 */
import type { Parsed, Read } from "./parse.js";
import { Tally, type Property } from "./tally.js";

export interface Finals {
  /** the correct nodes (those with a final read), sorted */
  nodes: string[];
  reads: Read[];
  /** per id: how many correct nodes have it in some final read */
  nodeCount: Int32Array;
  /** per id: its final position (1-based), 0 when in no final read */
  position: Float64Array;
}

export function finalsOf(parsed: Parsed): Finals {
  const reads = parsed.reads.filter((read) => read.final);
  const nodes = [...new Set(reads.map((read) => read.node))].sort();
  const nodeCount = new Int32Array(parsed.messages.length);
  const position = new Float64Array(parsed.messages.length);
  // stamp[id] = number of the last node counted for id: a node's several final reads count once
  const stamp = new Int32Array(parsed.messages.length).fill(-1);
  for (let n = 0; n < nodes.length; n++) {
    for (const read of reads) {
      if (read.node !== nodes[n]) continue;
      for (let i = 0; i < read.ids.length; i++) {
        const id = read.ids[i];
        if (position[id] === 0 || i + 1 < position[id]) position[id] = i + 1;
        if (stamp[id] === n) continue;
        stamp[id] = n;
        nodeCount[id]++;
      }
    }
  }
  return { nodes, reads, nodeCount, position };
}

export interface IntegrityScan {
  integrity: Property;
  deliveredAnywhere: Uint8Array;
  duplicated: Uint8Array;
}

export function checkIntegrity(parsed: Parsed, examplesMax: number): IntegrityScan {
  const integrity = new Tally(examplesMax);
  const idCount = parsed.messages.length;
  const deliveredAnywhere = new Uint8Array(idCount);
  const duplicated = new Uint8Array(idCount);
  // stamp[id] = number of the last read that held id: finds duplicates without a Set per read
  const stamp = new Int32Array(idCount).fill(-1);
  const { messages, broadcastCount, status } = parsed;
  for (let r = 0; r < parsed.reads.length; r++) {
    const read = parsed.reads[r];
    const witness = (kind: string, i: number) => () => ({
      kind,
      node: read.node,
      op: read.opIndex,
      seq: i + 1,
      message: messages[read.ids[i]],
    });
    for (let i = 0; i < read.ids.length; i++) {
      const id = read.ids[i];
      deliveredAnywhere[id] = 1;
      if (stamp[id] === r) {
        duplicated[id] = 1;
        integrity.add(witness("duplicate", i));
        continue;
      }
      stamp[id] = r;
      if (id >= broadcastCount) integrity.add(witness("not-broadcast", i));
      else if (status[id] === "fail") integrity.add(witness("failed-broadcast-delivered", i));
    }
  }
  return { integrity, deliveredAnywhere, duplicated };
}

/** Position by position over the final reads: a final read that disagrees with another anywhere. */
export function checkFinalPrefixes(parsed: Parsed, finals: Finals, examplesMax: number): Property {
  const tally = new Tally(examplesMax);
  let lengthMax = 0;
  for (const read of finals.reads) lengthMax = Math.max(lengthMax, read.ids.length);
  // the first two distinct messages final reads hold at each position (-1: none)
  const first = new Int32Array(lengthMax).fill(-1);
  const second = new Int32Array(lengthMax).fill(-1);
  for (const read of finals.reads) {
    for (let i = 0; i < read.ids.length; i++) {
      const id = read.ids[i];
      if (first[i] < 0) first[i] = id;
      else if (first[i] !== id && second[i] < 0) second[i] = id;
    }
  }
  for (const read of finals.reads) {
    let i = 0;
    while (i < read.ids.length && second[i] < 0) i++;
    if (i === read.ids.length) continue;
    const id = read.ids[i];
    const other = first[i] === id ? second[i] : first[i];
    tally.add(() => ({
      node: read.node,
      op: read.opIndex,
      seq: i + 1,
      message: parsed.messages[id],
      otherMessage: parsed.messages[other],
      explanation: `the final reads are not prefixes of one sequence: node ${read.node}'s has ${JSON.stringify(parsed.messages[id])} at seq ${i + 1}, another final read has ${JSON.stringify(parsed.messages[other])} there`,
    }));
  }
  return tally;
}

/** Uniform agreement: a message any node delivered must be in a final read of every correct node. */
export function checkAgreement(parsed: Parsed, finals: Finals, deliveredAnywhere: Uint8Array, examplesMax: number): Property {
  const tally = new Tally(examplesMax);
  for (let id = 0; id < parsed.messages.length; id++) {
    if (deliveredAnywhere[id] === 0 || finals.nodeCount[id] === finals.nodes.length) continue;
    tally.add(() => {
      const missingOn = finals.nodes.filter((node) => !finals.reads.some((read) => read.node === node && read.ids.includes(id)));
      const message = parsed.messages[id];
      return {
        message,
        missingOn,
        explanation: `${JSON.stringify(message)} was delivered, yet no final read of ${missingOn.join(", ")} holds it`,
      };
    });
  }
  return tally;
}

export interface LossResult {
  noLoss: Property;
  infoRecovered: string[];
  infoLost: string[];
}

/** Acknowledged broadcasts must be in some final read; unknown ones are sorted into recovered or lost. */
export function checkLoss(parsed: Parsed, finals: Finals, examplesMax: number): LossResult {
  const noLoss = new Tally(examplesMax);
  const infoRecovered: string[] = [];
  const infoLost: string[] = [];
  for (let id = 0; id < parsed.broadcastCount; id++) {
    const inFinal = finals.nodeCount[id] > 0;
    const state = parsed.status[id];
    if (state === "ok" && !inFinal) {
      noLoss.add(() => ({
        message: parsed.messages[id],
        op: parsed.invokeIndex[id],
        explanation: `acknowledged at seq ${parsed.ackSeq[id]}, in no final read`,
      }));
    } else if (state === "info" || state === "pending") {
      (inFinal ? infoRecovered : infoLost).push(parsed.messages[id]);
    }
  }
  return { noLoss, infoRecovered, infoLost };
}

/**
 * Per-sender FIFO: once a process's broadcast of m1 is acknowledged, its later
 * broadcasts come after m1 in the final order. (An info broadcast binds
 * nothing: it may take effect at any later time.)
 */
export function checkFifo(parsed: Parsed, finals: Finals, examplesMax: number): Property {
  const tally = new Tally(examplesMax);
  const { position } = finals;
  for (const [process, ids] of parsed.byProcess) {
    let ackedMaxPos = 0;
    let ackedMaxId = -1;
    for (const id of ids) {
      const pos = position[id];
      if (pos > 0 && pos < ackedMaxPos) {
        const earlier = ackedMaxId;
        tally.add(() => ({
          process,
          message: parsed.messages[id],
          seq: pos,
          earlier: parsed.messages[earlier],
          earlierSeq: ackedMaxPos,
          explanation: `process ${process} broadcast ${JSON.stringify(parsed.messages[earlier])} (acknowledged) before ${JSON.stringify(parsed.messages[id])}, yet it is delivered after it`,
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
