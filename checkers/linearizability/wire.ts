import type { Operation } from "../../src/history/pair.js";
import type { Partition } from "./partition.js";

/**
 * Partitions as bytes in one SharedArrayBuffer, so every worker thread sees
 * them without a copy per thread, and decodes only the partitions it claims.
 * Layout: a count, then (offset, length) of each partition's JSON, then the
 * JSON bytes. An op is a tuple; an unknown completion (Infinity) is -1.
 */
export type OpTuple = [
  id: number,
  process: Operation["process"],
  f: string,
  key: string | null,
  value: unknown,
  output: unknown,
  known: 0 | 1,
  invoke: number,
  complete: number,
];

export const encodeOp = (op: Operation): OpTuple => [
  op.id,
  op.process,
  op.f,
  op.key ?? null,
  op.value ?? null,
  op.known ? (op.output ?? null) : null,
  op.known ? 1 : 0,
  op.invoke,
  Number.isFinite(op.complete) ? op.complete : -1,
];

export function decodeOp([id, process, f, key, value, output, known, invoke, complete]: OpTuple): Operation {
  const op: Operation = {
    id,
    process,
    f,
    value,
    output: known === 1 ? output : undefined,
    known: known === 1,
    invoke,
    complete: complete < 0 ? Infinity : complete,
  };
  if (key !== null) op.key = key;
  return op;
}

export function encodePartitions(partitions: Partition[]): SharedArrayBuffer {
  const chunks = partitions.map((p) => Buffer.from(JSON.stringify({ name: p.name, parts: p.parts, ops: p.ops.map(encodeOp) })));
  const headerBytes = 4 * (1 + 2 * chunks.length);
  const total = headerBytes + chunks.reduce((sum, c) => sum + c.length, 0);
  const sab = new SharedArrayBuffer(total);
  const header = new Int32Array(sab, 0, 1 + 2 * chunks.length);
  const bytes = new Uint8Array(sab);
  header[0] = chunks.length;
  let offset = headerBytes;
  chunks.forEach((c, k) => {
    header[1 + 2 * k] = offset;
    header[2 + 2 * k] = c.length;
    bytes.set(c, offset);
    offset += c.length;
  });
  return sab;
}

export function partitionCount(sab: SharedArrayBuffer): number {
  return new Int32Array(sab, 0, 1)[0];
}

export function decodePartition(sab: SharedArrayBuffer, k: number): Partition {
  const header = new Int32Array(sab, 0, 1 + 2 * partitionCount(sab));
  const json = Buffer.from(new Uint8Array(sab, header[1 + 2 * k], header[2 + 2 * k])).toString("utf8");
  const raw = JSON.parse(json) as { name: string; parts?: string[]; ops: OpTuple[] };
  const p: Partition = { name: raw.name, ops: raw.ops.map(decodeOp) };
  if (raw.parts !== undefined) p.parts = raw.parts;
  return p;
}
