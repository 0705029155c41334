import { Agent, request } from "node:http";
import type { ClusterClient, NodeStatus, Outcome, ReadConsistency, TxnMicroOp } from "../cluster.js";
import { SESSION_CLIENT_HEADER, SESSION_SEQ_HEADER } from "./headers.js";
import type { MemberChange, MemberChangeOutcome, MembersView } from "./members.js";

/**
 * A ClusterClient over tob's documented HTTP client API (docs/ARCHITECTURE.md, "The
 * node's client API"): our Raft nodes speak it, and so do a user's own nodes
 * run with `--cluster command`. Keep-alive. Outcomes follow Jepsen: 200 → ok;
 * 409 → ok with {ok:false} (the compare or the lock said no); 503 and other
 * refusals → fail (certainly not applied); 504, other server errors, a success
 * whose body is not a JSON object, timeouts and connection errors once the
 * request may have been sent → info (unknown). A refused connection sent
 * nothing: a fail.
 *
 * Writes go under a client session (POST /v1/sessions, then a sequence number
 * per write): a write whose outcome is unknown is resent with the same number,
 * which the state machine applies at most once, until it is known or the time
 * budget ends. The outcome counts the resends (`retries`). Nodes without
 * sessions (a user's, run with --cluster command) get plain writes.
 */

type Reply = { status: number; body: Record<string, unknown>; text: string } | { error: string; sent: boolean };
type Sent = { reply: Reply; retries: number };

/** One request and what came back, for `tob conform`'s report of a wrong answer. */
export interface Exchange {
  node: string;
  method: string;
  path: string;
  /** The JSON body sent, if any. */
  request?: unknown;
  /** The status and raw body that came back, or the error instead. */
  status?: number;
  response?: string;
  error?: string;
}

export const CLIENT_TIMEOUT_MS_DEFAULT = 5000;
/** Tries of one write at most (the first and its resends), within the client's time budget. */
const WRITE_TRIES_MAX = 4;
const RESEND_DELAY_MS = 100;

export class ApiClient implements ClusterClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  /** The session id; "none" once the node said it has no sessions. */
  private session: string | null = null;
  private seq = 0;

  constructor(
    readonly node: string,
    private readonly baseUrl: string,
    private readonly timeoutMs = CLIENT_TIMEOUT_MS_DEFAULT,
    /** How get() reads when the caller names no consistency. */
    private readonly reads: ReadConsistency = "linearizable",
    /** Sees every exchange (tob conform); absent in runs. */
    private readonly trace?: (exchange: Exchange) => void,
  ) {}

  async get(key: string, consistency: ReadConsistency = this.reads): Promise<Outcome<string | null>> {
    // Our nodes have no "serializable" level; a local read is the closest (and may be stale).
    const level = consistency === "serializable" ? "local" : consistency;
    return this.map(once(await this.call("GET", `/v1/kv/${enc(key)}?consistency=${level}`)), (b) => b.value as string | null);
  }

  async put(key: string, value: string): Promise<Outcome<{ index?: number }>> {
    return this.map(await this.write("PUT", `/v1/kv/${enc(key)}`, { value }), (b) => ({ index: b.index as number }));
  }

  async cas(key: string, from: string | null, to: string): Promise<Outcome<{ ok: boolean; value?: string | null }>> {
    return this.map(await this.write("POST", `/v1/kv/${enc(key)}/cas`, { from, to }), (b, status) =>
      status === 409 ? { ok: false, value: b.value as string | null } : { ok: true },
    );
  }

  async broadcast(message: string): Promise<Outcome<{ seq: number; index: number; term: number }>> {
    return this.map(await this.write("POST", "/v1/broadcast", { message }), (b) => ({
      seq: b.seq as number,
      index: b.index as number,
      term: b.term as number,
    }));
  }

  async deliveries(from: number, limit: number): Promise<Outcome<{ deliveries: { seq: number; message: string }[]; next: number }>> {
    return this.map(once(await this.call("GET", `/v1/deliveries?from=${from}&limit=${limit}`)), (b) => ({
      deliveries: b.deliveries as { seq: number; message: string }[],
      next: b.next as number,
    }));
  }

  async acquire(name: string, owner: string): Promise<Outcome<{ ok: true; token: number } | { ok: false; holder: string | null }>> {
    return this.map(await this.write("POST", `/v1/locks/${enc(name)}/acquire`, { owner }), (b, status) =>
      status === 409 ? { ok: false as const, holder: b.holder as string | null } : { ok: true as const, token: b.token as number },
    );
  }

  async release(name: string, owner: string, token: number): Promise<Outcome<{ ok: boolean }>> {
    return this.map(await this.write("POST", `/v1/locks/${enc(name)}/release`, { owner, token }), (_b, status) => ({ ok: status === 200 }));
  }

  async txn(ops: TxnMicroOp[]): Promise<Outcome<TxnMicroOp[]>> {
    return this.map(await this.write("POST", "/v1/txn", { ops }), (b) => b.ops as TxnMicroOp[]);
  }

  async status(): Promise<Outcome<NodeStatus>> {
    return this.map(once(await this.call("GET", "/v1/status")), (b) => b as unknown as NodeStatus);
  }

  /** This node's view of the voters (GET /v1/members). */
  async members(): Promise<Outcome<MembersView>> {
    return this.map(once(await this.call("GET", "/v1/members")), (b) => b as unknown as MembersView);
  }

  /**
   * One membership change (a follower forwards it to the leader), never resent:
   * 409 is a refusal with the node's reason, 503 certainly not made, and a
   * timeout or lost connection unknown.
   */
  async changeMembers(change: MemberChange): Promise<MemberChangeOutcome> {
    const reply =
      change.op === "add"
        ? await this.call("POST", "/v1/members", { id: change.id, peer: change.peer, http: change.http })
        : await this.call("DELETE", `/v1/members/${enc(change.id)}`);
    if ("error" in reply) return { kind: reply.sent ? "unknown" : "unavailable", detail: `${this.node}: ${reply.error}` };
    const detail = `${this.node}: ${String(reply.body?.detail ?? reply.body?.error ?? reply.text.slice(0, 200))}`;
    if (reply.status === 200 && Array.isArray(reply.body?.voters)) {
      return { kind: "ok", index: reply.body.index as number, voters: reply.body.voters as string[] };
    }
    if (reply.status === 409) return { kind: "refused", detail };
    if (isUnavailable(reply)) return { kind: "unavailable", detail };
    if (reply.status >= 400 && reply.status < 500) return { kind: "invalid", detail: `http ${reply.status}: ${detail}` };
    return { kind: "unknown", detail: `http ${reply.status}: ${detail}` };
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  private map<T>({ reply, retries }: Sent, value: (body: Record<string, unknown>, status: number) => T): Outcome<T> {
    const tag = retries > 0 ? { retries } : {};
    const outcome = mapReply(reply, value);
    // A resend refused or failed says nothing of the earlier try it repeated: unknown.
    if (retries > 0 && outcome.type === "fail") return { type: "info", error: outcome.error, ...tag };
    return { ...outcome, ...tag };
  }

  /**
   * Sends a write under the session, resending it with the same sequence number
   * while its outcome is unknown (or the cluster is between leaders after an
   * unknown try), within the time budget.
   */
  private async write(method: string, path: string, payload: unknown): Promise<Sent> {
    const deadlineMs = Date.now() + this.timeoutMs;
    const session = await this.sessionId(deadlineMs);
    if (session === null || session === NO_SESSIONS) return once(await this.call(method, path, payload));
    const headers = { [SESSION_CLIENT_HEADER]: session, [SESSION_SEQ_HEADER]: String(++this.seq) };
    let reply = await this.call(method, path, payload, headers, deadlineMs);
    let retries = 0;
    let unknown = isUnknown(reply);
    for (let tries = 1; tries < WRITE_TRIES_MAX && unknown && (isUnknown(reply) || isUnavailable(reply)); tries++) {
      if (deadlineMs - Date.now() < RESEND_DELAY_MS * 2) break;
      await new Promise((r) => setTimeout(r, RESEND_DELAY_MS));
      reply = await this.call(method, path, payload, headers, deadlineMs);
      retries++;
      unknown ||= isUnknown(reply);
    }
    return { reply, retries };
  }

  /** The session id, registered on first use; null when registering failed (writes then go untagged). */
  private async sessionId(deadlineMs: number): Promise<string | null> {
    if (this.session !== null) return this.session;
    const r = await this.call("POST", "/v1/sessions", {}, {}, deadlineMs);
    // A node without the route will never have it: ask once.
    if (!("error" in r) && (r.status === 404 || r.status === 405 || r.status === 501)) this.session = NO_SESSIONS;
    if ("error" in r || r.status !== 200 || typeof r.body?.client !== "string") return null;
    this.session = r.body.client;
    return this.session;
  }

  private call(
    method: string,
    path: string,
    payload?: unknown,
    extraHeaders: Record<string, string> = {},
    deadlineMs = Date.now() + this.timeoutMs,
  ): Promise<Reply> {
    const body = payload === undefined ? undefined : Buffer.from(JSON.stringify(payload));
    const timeoutMs = Math.max(1, Math.min(this.timeoutMs, deadlineMs - Date.now()));
    return new Promise((resolve) => {
      let settled = false;
      const settle = (r: Reply) => {
        if (settled) return;
        settled = true;
        this.trace?.({
          node: this.node,
          method,
          path,
          ...(payload === undefined ? {} : { request: payload }),
          ...("error" in r ? { error: r.error } : { status: r.status, response: r.text }),
        });
        resolve(r);
      };
      const req = request(
        `${this.baseUrl}${path}`,
        {
          method,
          agent: this.agent,
          timeout: timeoutMs,
          headers: body ? { ...extraHeaders, "content-type": "application/json", "content-length": body.length } : extraHeaders,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = null;
            }
            // Anything but a JSON object is kept as text; mapReply decides by the status (a 404 page is still a refusal).
            const body =
              typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
            settle({ status: res.statusCode ?? 0, body: body as Record<string, unknown>, text });
          });
          res.on("error", (err) => settle({ error: err.message, sent: true }));
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on("error", (err: NodeJS.ErrnoException) => settle({ error: err.message, sent: err.code !== "ECONNREFUSED" }));
      req.end(body);
    });
  }
}

const NO_SESSIONS = "none";

function once(reply: Reply): Sent {
  return { reply, retries: 0 };
}

function mapReply<T>(reply: Reply, value: (body: Record<string, unknown>, status: number) => T): Outcome<T> {
  if ("error" in reply) return reply.sent ? { type: "info", error: reply.error } : { type: "fail", error: reply.error };
  const { status, body } = reply;
  // A success without a JSON object leaves what happened unknown.
  if ((status === 200 || status === 409) && body === null)
    return { type: "info", error: `http ${status}: the answer is not a JSON object: ${reply.text.slice(0, 80)}` };
  if (status === 200 || status === 409) return { type: "ok", value: value(body, status) };
  const error = typeof body?.error === "string" ? body.error : `http ${status}`;
  // 504 and server errors leave the outcome unknown; any other refusal happened before applying.
  if (isUnknown(reply)) return { type: "info", error };
  return { type: "fail", error };
}

function isUnknown(reply: Reply): boolean {
  if ("error" in reply) return reply.sent;
  return reply.status === 504 || (reply.status >= 500 && reply.status !== 503);
}

function isUnavailable(reply: Reply): boolean {
  return "error" in reply ? !reply.sent : reply.status === 503;
}

function enc(name: string): string {
  return encodeURIComponent(name);
}
