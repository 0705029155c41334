/**
 * Stable latency (Maelstrom's term): from a broadcast's invocation to the
 * first moment every correct node is known to have delivered it, i.e. the
 * latest, over correct nodes, of the completion time of the first read on
 * that node that shows the message.
 */
import type { Parsed } from "./parse.js";
import type { Finals } from "./properties.js";

export const STABLE_QUANTILES = [0, 0.5, 0.95, 0.99, 1] as const;

export interface StableLatency {
  /** broadcasts every correct node delivered */
  stableCount: number;
  /** quantile (as a string key "0", "0.5", ...) -> ms; null when nothing became stable */
  stableLatencyMs: Record<string, number> | null;
}

export function stableLatency(parsed: Parsed, finals: Finals): StableLatency {
  const idCount = parsed.messages.length;
  const stableNs = new Float64Array(idCount);
  const nodesSeen = new Int32Array(idCount);
  const lastNode = new Int32Array(idCount).fill(-1);
  let nodeNo = 0;
  for (const node of finals.nodes) {
    const reads = parsed.reads.filter((read) => read.node === node).sort((a, b) => a.timeNs - b.timeNs);
    // reads are prefixes, so each read only adds the positions past the longest earlier one
    let covered = 0;
    for (const read of reads) {
      for (let i = covered; i < read.ids.length; i++) {
        const id = read.ids[i];
        if (lastNode[id] === nodeNo) continue;
        lastNode[id] = nodeNo;
        nodesSeen[id]++;
        if (read.timeNs > stableNs[id]) stableNs[id] = read.timeNs;
      }
      if (read.ids.length > covered) covered = read.ids.length;
    }
    nodeNo++;
  }
  const latencies: number[] = [];
  for (let id = 0; id < parsed.broadcastCount; id++) {
    if (nodesSeen[id] === nodeNo) latencies.push((stableNs[id] - parsed.invokeNs[id]) / 1e6);
  }
  return { stableCount: latencies.length, stableLatencyMs: quantiles(Float64Array.from(latencies)) };
}

/** Nearest-rank quantiles of the values (sorted in place). */
export function quantiles(values: Float64Array): Record<string, number> | null {
  if (values.length === 0) return null;
  values.sort();
  const out: Record<string, number> = {};
  for (const q of STABLE_QUANTILES) {
    const rank = Math.min(values.length - 1, Math.max(0, Math.ceil(q * values.length) - 1));
    out[String(q)] = values[rank];
  }
  return out;
}
