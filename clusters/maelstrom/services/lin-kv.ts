/**
 * lin-kv: linearizable, because every request is applied to the one map at
 * the instant it arrives, in the single-threaded controller.
 */
import type { Body } from "../../api/maelstrom-protocol.js";
import { kvRequest } from "./kv.js";
import type { Service } from "./service.js";

export class LinKv implements Service {
  readonly id = "lin-kv";
  private readonly data = new Map<string, unknown>();

  handle(_src: string, body: Body): Body {
    return kvRequest(body, { get: (k) => this.data.get(k), set: (k, v) => void this.data.set(k, v) });
  }

  close(): void {}
}
