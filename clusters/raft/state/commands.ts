/**
 * The state machine's commands: what a log entry's `data` holds, as JSON.
 * The node builds them from client requests; every replica decodes the same
 * string the same way, so decoding is strict and deterministic.
 */

export type TxnOp = ["append", string, number] | ["r", string, number[] | null];

export type Command =
  | { op: "put"; key: string; value: string }
  | { op: "get"; key: string }
  | { op: "cas"; key: string; from: string | null; to: string }
  | { op: "bcast"; message: string }
  | { op: "acquire"; name: string; owner: string }
  | { op: "release"; name: string; owner: string; token: number }
  | { op: "txn"; ops: TxnOp[] }
  | { op: "register" };

/**
 * A client session's tag on a write (Raft dissertation, 6.3): the session id (the
 * log index of its `register` entry) and the client's sequence number, so a retry
 * of the same write applies once.
 */
export interface SessionTag {
  client: string;
  seq: number;
}

/** What an entry carries: the command, its session tag, and the leader's clock when proposed. */
export interface Envelope {
  cmd: Command;
  session: SessionTag | null;
  /**
   * Wall-clock ms on the proposing leader. Sessions expire by this time, read
   * from the log, so every replica expires the same sessions at the same entry.
   */
  timeMs: number;
}

/** A txn is applied as one entry; its size is bounded so one entry stays small. */
export const TXN_OPS_MAX = 1000;

export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CommandError";
  }
}

export function encodeCommand(cmd: Command, session: SessionTag | null = null, timeMs = 0): string {
  if (session === null && timeMs === 0) return JSON.stringify(cmd);
  return JSON.stringify({ ...cmd, s: session ? [session.client, session.seq] : undefined, t: timeMs });
}

/** Throws CommandError naming the first bad field. */
export function decodeCommand(data: string): Command {
  return decodeEnvelope(data).cmd;
}

export function decodeEnvelope(data: string): Envelope {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    throw new CommandError("command is not JSON");
  }
  if (!isObject(raw)) throw new CommandError("command is not an object");
  const timeMs = raw.t === undefined ? 0 : int(raw, "t");
  let session: SessionTag | null = null;
  if (raw.s !== undefined) {
    const s = raw.s;
    if (!Array.isArray(s) || typeof s[0] !== "string" || !Number.isSafeInteger(s[1])) throw new CommandError("s must be [client, seq]");
    session = { client: s[0], seq: s[1] as number };
  }
  return { cmd: commandOf(raw), session, timeMs };
}

function commandOf(raw: Record<string, unknown>): Command {
  switch (raw.op) {
    case "put":
      return { op: "put", key: str(raw, "key"), value: str(raw, "value") };
    case "get":
      return { op: "get", key: str(raw, "key") };
    case "cas":
      return { op: "cas", key: str(raw, "key"), from: strOrNull(raw, "from"), to: str(raw, "to") };
    case "bcast":
      return { op: "bcast", message: str(raw, "message") };
    case "acquire":
      return { op: "acquire", name: str(raw, "name"), owner: str(raw, "owner") };
    case "release":
      return { op: "release", name: str(raw, "name"), owner: str(raw, "owner"), token: int(raw, "token") };
    case "txn":
      return { op: "txn", ops: txnOps(raw.ops) };
    case "register":
      return { op: "register" };
    default:
      throw new CommandError(`unknown command op ${JSON.stringify(raw.op)}`);
  }
}

/** Validates a list-append transaction's micro-ops (also used on client input). */
export function txnOps(value: unknown): TxnOp[] {
  if (!Array.isArray(value)) throw new CommandError("ops must be an array");
  if (value.length === 0) throw new CommandError("ops must not be empty");
  if (value.length > TXN_OPS_MAX) throw new CommandError(`ops has ${value.length} micro-ops; the limit is ${TXN_OPS_MAX}`);
  return value.map((op, i): TxnOp => {
    if (!Array.isArray(op) || op.length !== 3) throw new CommandError(`ops[${i}] must be [f, key, value]`);
    const [f, key, v] = op as unknown[];
    if (typeof key !== "string") throw new CommandError(`ops[${i}] key must be a string`);
    if (f === "append") {
      if (typeof v !== "number" || !Number.isFinite(v)) throw new CommandError(`ops[${i}] append value must be a number`);
      return ["append", key, v];
    }
    if (f === "r") {
      if (v !== null) throw new CommandError(`ops[${i}] read value must be null`);
      return ["r", key, null];
    }
    throw new CommandError(`ops[${i}] f must be "append" or "r", got ${JSON.stringify(f)}`);
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(o: Record<string, unknown>, field: string): string {
  const v = o[field];
  if (typeof v !== "string") throw new CommandError(`${field} must be a string`);
  return v;
}

function strOrNull(o: Record<string, unknown>, field: string): string | null {
  const v = o[field];
  if (v !== null && typeof v !== "string") throw new CommandError(`${field} must be a string or null`);
  return v;
}

function int(o: Record<string, unknown>, field: string): number {
  const v = o[field];
  if (typeof v !== "number" || !Number.isSafeInteger(v)) throw new CommandError(`${field} must be an integer`);
  return v;
}
