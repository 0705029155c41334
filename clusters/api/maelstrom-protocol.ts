/**
 * Maelstrom's wire protocol (jepsen-io/maelstrom doc/protocol.md), the facts
 * only: one JSON message per line, `{src, dest, body}`; a body has a `type`,
 * requests a `msg_id`, replies an `in_reply_to`; errors carry Maelstrom's codes,
 * each definite (certainly not applied: the op is a `fail`) or not (`info`).
 * The contract between Maelstrom's workloads and any cluster whose nodes speak it.
 */
import type { Outcome } from "../cluster.js";

export interface Body {
  type: string;
  msg_id?: number;
  in_reply_to?: number;
  [field: string]: unknown;
}

export interface Message {
  src: string;
  dest: string;
  body: Body;
}

interface ErrorCode {
  name: string;
  definite: boolean;
}

/** Codes 0-999 are Maelstrom's; any other code (a node's own) is indefinite. */
export const ERROR_CODES: Readonly<Record<number, ErrorCode>> = {
  0: { name: "timeout", definite: false },
  1: { name: "node-not-found", definite: true },
  10: { name: "not-supported", definite: true },
  11: { name: "temporarily-unavailable", definite: true },
  12: { name: "malformed-request", definite: true },
  13: { name: "crash", definite: false },
  14: { name: "abort", definite: true },
  20: { name: "key-does-not-exist", definite: true },
  21: { name: "key-already-exists", definite: true },
  22: { name: "precondition-failed", definite: true },
  30: { name: "txn-conflict", definite: true },
};

export const ERR_NODE_NOT_FOUND = 1;
export const ERR_NOT_SUPPORTED = 10;
export const ERR_MALFORMED = 12;
export const ERR_KEY_MISSING = 20;
export const ERR_PRECONDITION = 22;

export function isDefinite(code: number): boolean {
  return ERROR_CODES[code]?.definite ?? false;
}

/** "22 precondition-failed: expected 3, found 4" */
export function describeError(body: Body): string {
  const code = typeof body.code === "number" ? body.code : -1;
  const name = ERROR_CODES[code]?.name ?? "custom";
  return typeof body.text === "string" && body.text !== "" ? `${code} ${name}: ${body.text}` : `${code} ${name}`;
}

export function errorBody(code: number, text: string, inReplyTo: number | undefined): Body {
  return { type: "error", in_reply_to: inReplyTo, code, text };
}

/** A line a node printed on stdout, or why it is not a message. Never throws. */
export type Parsed = { ok: true; message: Message } | { ok: false; reason: string };

export function parseLine(line: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { ok: false, reason: "not a JSON object" };
  const m = json as Record<string, unknown>;
  if (typeof m.src !== "string") return { ok: false, reason: "src is not a string" };
  if (typeof m.dest !== "string") return { ok: false, reason: "dest is not a string" };
  const body = m.body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { ok: false, reason: "body is not an object" };
  const b = body as Record<string, unknown>;
  if (typeof b.type !== "string") return { ok: false, reason: "body.type is not a string" };
  if (b.msg_id !== undefined && !Number.isInteger(b.msg_id)) return { ok: false, reason: "body.msg_id is not an integer" };
  if (b.in_reply_to !== undefined && !Number.isInteger(b.in_reply_to)) return { ok: false, reason: "body.in_reply_to is not an integer" };
  return { ok: true, message: { src: m.src, dest: m.dest, body: b as Body } };
}

/** A line as shown in an error message: one line, bounded. */
export function quoteLine(line: string): string {
  const LINE_SHOWN_MAX = 160;
  const text = line.length > LINE_SHOWN_MAX ? `${line.slice(0, LINE_SHOWN_MAX)}...` : line;
  return JSON.stringify(text);
}

/** A request to one node, and its reply as an outcome (an error body, or no reply in time, is fail or info). */
export type Rpc = (body: Omit<Body, "msg_id">) => Promise<Outcome<Body>>;
