/** A Maelstrom service (doc/services.md): a node of the network that answers requests itself. */
import type { Body } from "../../api/maelstrom-protocol.js";

export interface Service {
  readonly id: string;
  /** The reply to a request from `src` (in_reply_to is set by the caller), at the moment it arrives. */
  handle(src: string, body: Body): Body;
  /** Stops any background work (lww-kv's gossip). */
  close(): void;
}
