/**
 * The key-value API the kv services share (doc/services.md: read, write,
 * cas with create_if_not_exists), over whatever view of the data a service
 * gives each request: the one current map (lin-kv), a past state (seq-kv
 * reads), one replica of several (lww-kv).
 */
import { type Body, ERR_KEY_MISSING, ERR_MALFORMED, ERR_NOT_SUPPORTED, ERR_PRECONDITION, errorBody } from "../../api/maelstrom-protocol.js";

export interface KvView {
  /** undefined: the key does not exist. */
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** Keys are any JSON value; stored by their JSON text. */
export function keyOf(body: Body): string | null {
  return body.key === undefined ? null : JSON.stringify(body.key);
}

export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** The reply body for a read, write or cas on `view` (the caller sets in_reply_to). */
export function kvRequest(body: Body, view: KvView): Body {
  const key = keyOf(body);
  if (key === null) return errorBody(ERR_MALFORMED, `${body.type} needs a key`, body.msg_id);
  switch (body.type) {
    case "read": {
      const value = view.get(key);
      if (value === undefined) return errorBody(ERR_KEY_MISSING, `key ${key} does not exist`, body.msg_id);
      return { type: "read_ok", value };
    }
    case "write":
      if (body.value === undefined) return errorBody(ERR_MALFORMED, "write needs a value", body.msg_id);
      view.set(key, body.value);
      return { type: "write_ok" };
    case "cas": {
      if (body.from === undefined || body.to === undefined) return errorBody(ERR_MALFORMED, "cas needs from and to", body.msg_id);
      const current = view.get(key);
      if (current === undefined && body.create_if_not_exists !== true)
        return errorBody(ERR_KEY_MISSING, `key ${key} does not exist`, body.msg_id);
      if (current !== undefined && !sameValue(current, body.from)) {
        return errorBody(ERR_PRECONDITION, `expected ${JSON.stringify(body.from)}, but had ${JSON.stringify(current)}`, body.msg_id);
      }
      view.set(key, body.to);
      return { type: "cas_ok" };
    }
    default:
      return errorBody(ERR_NOT_SUPPORTED, `kv services do not know ${JSON.stringify(body.type)}`, body.msg_id);
  }
}
