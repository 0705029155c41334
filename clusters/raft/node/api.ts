import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { CommandError, txnOps, type Command, type SessionTag } from "../state/commands.js";
import type { ApplyResult } from "../state/machine.js";
import { splitTxn, uncheckedCas } from "./bugs.js";
import { MEMBER_ID, MEMBER_ID_RULE, type NodeConfig } from "./config.js";
import { forward, FORWARDED_HEADER, SESSION_CLIENT_HEADER, SESSION_SEQ_HEADER } from "./forward.js";
import { HttpError, parseFields, readBody, sendJson } from "./http-io.js";
import type { Logger } from "./log.js";
import type { MembershipOutcome, ProposeOutcome, ReadOutcome, Replica } from "./replica.js";
import { splitHostPort } from "./transport.js";

/**
 * The client API (docs/ARCHITECTURE.md, "The node's client API"). Writes and
 * non-local reads are served by the leader; a follower proxies them there.
 * `consistency=local` reads and `/v1/deliveries` answer from this node's own
 * state: they may be stale, and `local` is kept so users can watch a checker
 * catch that.
 */

type Answer = { status: number; body: unknown };
type Route = { leaderOnly: boolean; run: () => Promise<Answer> };

const DELIVERIES_LIMIT_DEFAULT = 1000;

export function createApi(replica: Replica, cfg: NodeConfig, log: Logger): RequestListener {
  const fail = (req: IncomingMessage, res: ServerResponse, err: unknown) => {
    if (err instanceof HttpError) {
      if (err.status === 413) res.setHeader("connection", "close");
      sendJson(res, err.status, { error: err.message });
      return;
    }
    log("error", `${req.method} ${req.url}: ${(err as Error).stack ?? String(err)}`);
    if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
  };
  // Callbacks rather than an async chain: this runs for every request, and the leader's CPU is the limit.
  return (req, res) => {
    readBody(req, (err, body) => {
      if (err) return fail(req, res, err);
      try {
        handle(replica, cfg, req, res, body).then(undefined, (e: unknown) => fail(req, res, e));
      } catch (e) {
        fail(req, res, e);
      }
    });
  };
}

/** Sends the answer once it is known; throws (or rejects) on bad input. */
function handle(replica: Replica, cfg: NodeConfig, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  const route = findRoute(replica, cfg, req.method ?? "GET", parseTarget(req.url ?? "/"), body, sessionOf(req));
  if (route.leaderOnly && replica.role !== "leader") {
    const leader = replica.leader;
    const leaderUrl = leader === null ? undefined : replica.addrsOf(leader)?.http;
    if (req.headers[FORWARDED_HEADER] || !leaderUrl) sendJson(res, 503, { error: "unavailable", leader });
    else forward(req, body, res, leaderUrl, cfg.id);
    return Promise.resolve();
  }
  return route.run().then((answer) => sendJson(res, answer.status, answer.body));
}

interface Target {
  pathname: string;
  query: URLSearchParams;
}

/** The request target's path and query, without a full URL parse. */
function parseTarget(target: string): Target {
  const q = target.indexOf("?");
  if (q < 0) return { pathname: target, query: EMPTY_QUERY };
  return { pathname: target.slice(0, q), query: new URLSearchParams(target.slice(q + 1)) };
}

const EMPTY_QUERY = new URLSearchParams();

/** Busy CPU, not a sleep: a planted slowdown must cost throughput at any concurrency (config.ts, slowProposeUs). */
function spinMicros(micros: number): void {
  const until = performance.now() + micros / 1000;
  while (performance.now() < until) {
    // spin
  }
}

/** Finds the route and validates the request in full, so bad input gets a 400 on any node. */
function findRoute(replica: Replica, cfg: NodeConfig, method: string, url: Target, body: Buffer, session: SessionTag | null): Route {
  const parts = url.pathname.split("/").slice(1).map(decodeSegment);
  const at = `${method} /${parts.map((p, i) => (isNameSlot(parts, i) ? ":" : p)).join("/")}`;
  const name = parts[2]!;
  const propose = (cmd: Command) =>
    leaderOnly(() => {
      if (cfg.slowProposeUs) spinMicros(cfg.slowProposeUs);
      return replica.propose(cmd, session).then(answerProposal);
    });
  switch (at) {
    case "GET /v1/status":
      return local(async () => ok(replica.status()));
    case "GET /v1/deliveries": {
      const from = intParam(url, "from", 1);
      const limit = intParam(url, "limit", DELIVERIES_LIMIT_DEFAULT);
      return local(async () => {
        const answer = replica.sm.deliveries(from, limit);
        // Below the retained start (state/machine.ts, DELIVERIES_RETAINED): gone, and where they resume.
        if ("compacted" in answer) return { status: 410, body: { error: "compacted", first: answer.first } };
        return ok(answer);
      });
    }
    case "GET /v1/members":
      return local(async () => ok(replica.members()));
    case "POST /v1/members": {
      const f = parseFields(body, { id: "string", peer: "string", http: "string" });
      const change = {
        op: "add" as const,
        id: memberId(f.id as string),
        addrs: { peer: hostPort(f.peer as string), http: httpUrl(f.http as string) },
      };
      return leaderOnly(() => replica.changeMembership(change).then(answerMembership));
    }
    case "DELETE /v1/members/:":
      return leaderOnly(() => replica.changeMembership({ op: "remove", id: memberId(name) }).then(answerMembership));
    case "POST /v1/sessions":
      return leaderOnly(() => replica.propose({ op: "register" }, null).then(answerProposal));
    case "POST /v1/broadcast":
      return propose({ op: "bcast", message: parseFields(body, { message: "string" }).message as string });
    case "GET /v1/kv/:":
      return kvGet(replica, cfg, name, url.query.get("consistency") ?? "linearizable");
    case "PUT /v1/kv/:":
      return propose({ op: "put", key: name, value: parseFields(body, { value: "string" }).value as string });
    case "POST /v1/kv/:/cas": {
      const f = parseFields(body, { from: "string|null", to: "string" });
      const cas = { key: name, from: f.from as string | null, to: f.to as string };
      if (cfg.bugs.includes("duplicate-claim")) {
        return leaderOnly(() =>
          uncheckedCas(
            cas,
            (k) => replica.sm.get(k),
            (c) => replica.propose(c),
          ).then(answerProposal),
        );
      }
      return propose({ op: "cas", ...cas });
    }
    case "POST /v1/locks/:/acquire":
      return propose({ op: "acquire", name, owner: parseFields(body, { owner: "string" }).owner as string });
    case "POST /v1/locks/:/release": {
      const f = parseFields(body, { owner: "string", token: "integer" });
      return propose({ op: "release", name, owner: f.owner as string, token: f.token as number });
    }
    case "POST /v1/txn": {
      const raw = parseFields(body, { ops: "array" }).ops;
      try {
        const ops = txnOps(raw);
        if (cfg.bugs.includes("split-txn")) return leaderOnly(() => splitTxn(ops, (c) => replica.propose(c)).then(answerProposal));
        return propose({ op: "txn", ops });
      } catch (err) {
        if (err instanceof CommandError) throw new HttpError(400, err.message);
        throw err;
      }
    }
    default:
      throw new HttpError(404, `no route for ${method} ${url.pathname}`);
  }
}

function kvGet(replica: Replica, cfg: NodeConfig, key: string, consistency: string): Route {
  const fromHere = async () => ok({ value: replica.sm.get(key) });
  switch (consistency) {
    case "local":
      return local(fromHere);
    case "linearizable":
      // The stale-reads bug skips the quorum round and answers on whichever node got the read.
      if (cfg.bugs.includes("stale-reads")) return local(fromHere);
      return leaderOnly(async () => {
        const r = await replica.linearizableRead();
        return r.kind === "ready" ? fromHere() : answerFailure(r);
      });
    case "log":
      return leaderOnly(async () => answerProposal(await replica.propose({ op: "get", key })));
    default:
      throw new HttpError(400, `consistency must be linearizable, log or local, got ${JSON.stringify(consistency)}`);
  }
}

/** Refused: certainly not made, and why (409); 503 and 504 as for any write. */
function answerMembership(o: MembershipOutcome): Answer {
  if (o.kind === "applied") return ok({ index: o.index, voters: o.config.voters });
  if (o.kind === "refused") return { status: 409, body: { error: "refused", detail: o.reason } };
  return answerFailure(o);
}

function memberId(id: string): string {
  if (!MEMBER_ID.test(id)) throw new HttpError(400, `member id must be ${MEMBER_ID_RULE}, got ${JSON.stringify(id)}`);
  return id;
}

function hostPort(addr: string): string {
  try {
    splitHostPort(addr);
  } catch (err) {
    throw new HttpError(400, `field "peer": ${(err as Error).message}`);
  }
  return addr;
}

function httpUrl(url: string): string {
  if (!/^http:\/\/[^/\s]+$/.test(url))
    throw new HttpError(400, `field "http" must be a base URL like http://host:port, got ${JSON.stringify(url)}`);
  return url;
}

function answerProposal(o: ProposeOutcome): Answer {
  if (o.kind !== "applied") return answerFailure(o);
  return answerResult(o.result);
}

function answerFailure(o: Exclude<ReadOutcome, { kind: "ready" }>): Answer {
  if (o.kind === "timeout") return { status: 504, body: { error: "timeout" } };
  return { status: 503, body: { error: "unavailable", leader: o.leader, detail: o.reason } };
}

function answerResult(r: ApplyResult): Answer {
  switch (r.op) {
    case "put":
      return ok({ index: r.index });
    case "get":
      return ok({ value: r.value });
    case "cas":
      return r.ok ? ok({ ok: true }) : { status: 409, body: { ok: false, value: r.value } };
    case "bcast":
      return ok({ seq: r.seq, index: r.index, term: r.term });
    case "acquire":
      return r.ok ? ok({ token: r.token }) : { status: 409, body: { holder: r.holder } };
    case "release":
      return r.ok ? ok({ ok: true }) : { status: 409, body: { ok: false, holder: r.holder } };
    case "txn":
      return ok({ ops: r.ops });
    case "register":
      return ok({ client: r.client });
    case "session":
      return { status: 410, body: { error: "session", detail: r.refused } };
  }
}

/** The session tag from the headers, or null when the request has none (it then applies as sent, without deduplication). */
function sessionOf(req: IncomingMessage): SessionTag | null {
  const client = req.headers[SESSION_CLIENT_HEADER];
  const seqText = req.headers[SESSION_SEQ_HEADER];
  if (client === undefined && seqText === undefined) return null;
  if (typeof client !== "string" || client === "")
    throw new HttpError(400, `header ${SESSION_CLIENT_HEADER} must be a session id from POST /v1/sessions`);
  const seq = Number(seqText);
  if (typeof seqText !== "string" || !Number.isSafeInteger(seq) || seq < 1) {
    throw new HttpError(400, `header ${SESSION_SEQ_HEADER} must be a positive integer, got ${JSON.stringify(seqText ?? null)}`);
  }
  return { client, seq };
}

function ok(body: unknown): Answer {
  return { status: 200, body };
}

function local(run: () => Promise<Answer>): Route {
  return { leaderOnly: false, run };
}

function leaderOnly(run: () => Promise<Answer>): Route {
  return { leaderOnly: true, run };
}

/** Path slot 2 names a key, lock or member: /v1/kv/:key, /v1/locks/:name/..., /v1/members/:id (never empty). */
function isNameSlot(parts: string[], i: number): boolean {
  return i === 2 && parts[0] === "v1" && (parts[1] === "kv" || parts[1] === "locks" || parts[1] === "members") && parts[2] !== "";
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new HttpError(400, `path segment ${JSON.stringify(s)} is not valid percent-encoding`);
  }
}

function intParam(url: Target, name: string, fallback: number): number {
  const text = url.query.get(name);
  if (text === null) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new HttpError(400, `query parameter ${name} must be a positive integer, got ${JSON.stringify(text)}`);
  return n;
}
