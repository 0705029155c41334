import { type AppendRequest, type AppendResponse, ENTRY_TYPES, type Entry, entryTypeOf, type Message } from "../core/types.js";

/**
 * Peer message bodies (inside frames.ts's length-prefixed frames). Appends and
 * their answers, the bulk of the traffic, are binary: an entry's command goes
 * as raw UTF-8 instead of a JSON string escaped inside JSON, and the entries
 * part is encoded once and shared by every follower that is sent the same
 * range. Rarer messages (votes, heartbeats) stay JSON. The first byte tells
 * them apart: JSON starts with '{'.
 *
 *   append:     0x01 | head | f64 prevIndex | f64 prevTerm | f64 commit | entries
 *   entries:    u32 count | per entry: f64 term | u8 type (0 noop, 1 normal, 2 config) | u32 bytes | UTF-8 data
 *   appendResp: 0x02 | head | u8 success | f64 index | f64 hintIndex | f64 hintTerm
 *   head:       u8 bytes | UTF-8 from | u8 bytes | UTF-8 to | f64 term
 * Numbers are little-endian; f64 holds any safe integer exactly.
 */

const KIND_APPEND = 0x01;
const KIND_APPEND_RESP = 0x02;
const JSON_START = 0x7b; // '{'

/** The entries part of the last append encoded, reused while the same range goes to another follower. */
let lastEntries: { list: Entry[]; bytes: Buffer } | null = null;

/** The encoded body as one or more buffers, written in order. */
export function encodeMessage(m: Message): Buffer[] {
  if (m.type === "append") return [appendHead(m), encodeEntries(m.entries)];
  if (m.type === "appendResp") return [appendRespBody(m)];
  return [Buffer.from(JSON.stringify(m))];
}

/** Throws on a body that is neither ours nor JSON; the caller closes the connection. */
export function decodeMessage(b: Buffer): Message {
  if (b[0] === JSON_START) return JSON.parse(b.toString("utf8")) as Message;
  const r = new Reader(b);
  const kind = r.u8();
  if (kind === KIND_APPEND) {
    const from = r.str8();
    const to = r.str8();
    const term = r.f64();
    const prevIndex = r.f64();
    const prevTerm = r.f64();
    const commit = r.f64();
    const count = r.u32();
    const entries: Entry[] = new Array(count);
    for (let k = 0; k < count; k++) {
      const entryTerm = r.f64();
      const type = entryTypeOf(r.u8());
      if (type === undefined) throw new Error(`append from ${from}: unknown entry type`);
      entries[k] = { index: prevIndex + 1 + k, term: entryTerm, type, data: r.str32() };
    }
    r.end();
    const m: AppendRequest = { type: "append", from, to, term, prevIndex, prevTerm, entries, commit };
    return m;
  }
  if (kind === KIND_APPEND_RESP) {
    const from = r.str8();
    const to = r.str8();
    const term = r.f64();
    const success = r.u8() === 1;
    const m: AppendResponse = { type: "appendResp", from, to, term, success, index: r.f64(), hintIndex: r.f64(), hintTerm: r.f64() };
    r.end();
    return m;
  }
  throw new Error(`unknown peer message kind ${kind}`);
}

/** Kind byte and head. */
function headBytes(m: Message): number {
  return 1 + 1 + Buffer.byteLength(m.from) + 1 + Buffer.byteLength(m.to) + 8;
}

function writeHead(buf: Buffer, kind: number, m: Message): number {
  buf[0] = kind;
  let at = writeStr8(buf, 1, m.from);
  at = writeStr8(buf, at, m.to);
  return buf.writeDoubleLE(m.term, at);
}

function appendHead(m: AppendRequest): Buffer {
  const buf = Buffer.allocUnsafe(headBytes(m) + 24);
  let at = writeHead(buf, KIND_APPEND, m);
  at = buf.writeDoubleLE(m.prevIndex, at);
  at = buf.writeDoubleLE(m.prevTerm, at);
  buf.writeDoubleLE(m.commit, at);
  return buf;
}

function encodeEntries(list: Entry[]): Buffer {
  const last = lastEntries;
  if (
    last &&
    last.list.length === list.length &&
    (list.length === 0 || (last.list[0] === list[0] && last.list[list.length - 1] === list[list.length - 1]))
  ) {
    return last.bytes;
  }
  let size = 4;
  for (const e of list) size += 13 + Buffer.byteLength(e.data);
  const buf = Buffer.allocUnsafe(size);
  let at = buf.writeUInt32LE(list.length, 0);
  for (const e of list) {
    at = buf.writeDoubleLE(e.term, at);
    buf[at++] = ENTRY_TYPES.indexOf(e.type);
    const n = buf.write(e.data, at + 4);
    buf.writeUInt32LE(n, at);
    at += 4 + n;
  }
  lastEntries = { list, bytes: buf };
  return buf;
}

function appendRespBody(m: AppendResponse): Buffer {
  const buf = Buffer.allocUnsafe(headBytes(m) + 25);
  let at = writeHead(buf, KIND_APPEND_RESP, m);
  buf[at++] = m.success ? 1 : 0;
  at = buf.writeDoubleLE(m.index, at);
  at = buf.writeDoubleLE(m.hintIndex, at);
  buf.writeDoubleLE(m.hintTerm, at);
  return buf;
}

function writeStr8(buf: Buffer, at: number, s: string): number {
  // Node ids come from the config; one this long would be a bug there.
  if (Buffer.byteLength(s) > 255) throw new Error(`node id ${JSON.stringify(s.slice(0, 20))}... is over 255 bytes`);
  const n = buf.write(s, at + 1);
  buf[at] = n;
  return at + 1 + n;
}

/** Bounds-checked reads: a short or overlong body is an error, never a misread. */
class Reader {
  private at = 0;
  constructor(private readonly b: Buffer) {}

  u8(): number {
    this.need(1);
    return this.b[this.at++]!;
  }

  u32(): number {
    this.need(4);
    const v = this.b.readUInt32LE(this.at);
    this.at += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.b.readDoubleLE(this.at);
    this.at += 8;
    return v;
  }

  str8(): string {
    return this.str(this.u8());
  }

  str32(): string {
    return this.str(this.u32());
  }

  end(): void {
    if (this.at !== this.b.length) throw new Error(`peer message has ${this.b.length - this.at} trailing bytes`);
  }

  private str(n: number): string {
    this.need(n);
    const s = this.b.toString("utf8", this.at, this.at + n);
    this.at += n;
    return s;
  }

  private need(n: number): void {
    if (this.at + n > this.b.length) throw new Error("peer message is truncated");
  }
}
