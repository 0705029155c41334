/**
 * A client of a Maelstrom run (c1, c2, ...): it sends requests into the
 * network and pairs each reply with its request by `in_reply_to`. Outcomes
 * follow Maelstrom's rules: a reply is ok; a definite error is a fail (it
 * certainly did not happen); an indefinite error or no reply in time is info.
 * It also offers the Cluster seam's get/put/cas as lin-kv's read/write/cas.
 */
import type { ClusterClient, Outcome } from "../cluster.js";
import { type Body, describeError, ERR_KEY_MISSING, ERR_PRECONDITION, isDefinite, type Message } from "../api/maelstrom-protocol.js";
import type { Endpoint, Router } from "./router.js";

export type RpcOutcome = Outcome<Body>;

interface Pending {
  resolve: (outcome: RpcOutcome) => void;
  timer: NodeJS.Timeout;
}

export class MaelstromClient implements ClusterClient, Endpoint {
  readonly kind = "client" as const;
  private nextMsgId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Replies that came after their request timed out. */
  lateReplies = 0;

  constructor(
    readonly id: string,
    /** The node this client talks to by default. */
    readonly node: string,
    private readonly router: Router,
    private readonly timeoutMs: number,
  ) {}

  /** One request to `dest` (default: this client's node); never throws. */
  rpc(body: Omit<Body, "msg_id">, dest = this.node, timeoutMs = this.timeoutMs): Promise<RpcOutcome> {
    const msgId = this.nextMsgId++;
    const message: Message = { src: this.id, dest, body: { ...body, msg_id: msgId } as Body };
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(msgId);
        resolve({ type: "info", error: `timeout: no reply from ${dest} within ${timeoutMs} ms` });
      }, timeoutMs);
      this.pending.set(msgId, { resolve, timer });
      this.router.send(this.id, message, JSON.stringify(message));
    });
  }

  deliver(message: Message, line: string): void {
    const id = message.body.in_reply_to;
    const waiting = id === undefined ? undefined : this.pending.get(id);
    if (!waiting) {
      if (id !== undefined && id > 0 && id < this.nextMsgId) {
        this.lateReplies++;
        return;
      }
      const why = id === undefined ? "with no in_reply_to" : `with in_reply_to ${id}, which ${this.id} never sent`;
      return this.router.refuse(message.src, `replied to ${this.id} ${why}`, line);
    }
    this.pending.delete(id as number);
    clearTimeout(waiting.timer);
    waiting.resolve(outcomeOf(message.body));
  }

  async get(key: string): Promise<Outcome<string | null>> {
    const out = await this.rpc({ type: "read", key });
    if (out.type === "fail" && out.error.startsWith(`${ERR_KEY_MISSING} `)) return { type: "ok", value: null };
    return mapOk(out, (b) => (b.value === undefined || b.value === null ? null : String(b.value)));
  }

  async put(key: string, value: string): Promise<Outcome<{ index?: number }>> {
    return mapOk(await this.rpc({ type: "write", key, value }), () => ({}));
  }

  async cas(key: string, from: string | null, to: string): Promise<Outcome<{ ok: boolean; value?: string | null }>> {
    const out = await this.rpc({ type: "cas", key, from, to, ...(from === null ? { create_if_not_exists: true } : {}) });
    if (out.type === "fail" && (out.error.startsWith(`${ERR_PRECONDITION} `) || out.error.startsWith(`${ERR_KEY_MISSING} `))) {
      return { type: "ok", value: { ok: false } };
    }
    return mapOk(out, () => ({ ok: true }));
  }

  /** Outstanding requests resolve as info: they may still happen. */
  async close(): Promise<void> {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ type: "info", error: "client closed" });
      this.pending.delete(id);
    }
  }
}

export function outcomeOf(body: Body): RpcOutcome {
  if (body.type !== "error") return { type: "ok", value: body };
  const error = describeError(body);
  return typeof body.code === "number" && isDefinite(body.code) ? { type: "fail", error } : { type: "info", error };
}

function mapOk<T>(out: RpcOutcome, f: (b: Body) => T): Outcome<T> {
  return out.type === "ok" ? { type: "ok", value: f(out.value) } : out;
}
