/**
 * `tob conform`: a short run without faults that tells users which client
 * features their nodes implement, before they run a nemesis. Each feature is
 * probed with a few calls whose right answers are known (a cas whose compare
 * does not match must say no; a status must name a leader; a broadcast must
 * be delivered in seq order on every node) and judged ok, missing (no such
 * call or route) or wrong (with the request sent and the answer that came back).
 */
import { randomUUID } from "node:crypto";
import type { Exchange } from "../../clusters/api/client.js";
import type { Cluster, ClusterClient, NodeStatus, Outcome } from "../../clusters/cluster.js";
import { type ClusterKind, type Feature, FEATURES } from "../../clusters/kind.js";

export type Verdict = "ok" | "missing" | "wrong";

export interface FeatureResult {
  feature: Feature;
  declared: boolean;
  verdict: Verdict;
  /** Why, for missing and wrong. */
  why?: string;
  /** For a wrong answer: the request that was sent and what came back (or the call and its outcome). */
  evidence?: string[];
}

/** Exchanges seen by the clients, for evidence; kinds that cannot show raw requests leave it empty. */
export class ExchangeLog {
  private exchanges: Exchange[] = [];
  record = (e: Exchange) => {
    if (this.exchanges.length < EXCHANGES_MAX) this.exchanges.push(e);
  };
  take(): Exchange[] {
    return this.exchanges.splice(0);
  }
}

const EXCHANGES_MAX = 1_000;
/** A faultless cluster may still be electing: refusals are retried this long. */
const SETTLE_MS = 5_000;
const RETRY_MS = 100;
const DELIVERY_WAIT_MS = 5_000;
const ANSWER_SHOWN_CHARS = 300;

class Wrong extends Error {}
class Missing extends Error {}

interface Probe {
  cluster: Cluster;
  /** Until when a quiet cluster may still be electing its first leader. */
  settledBy: number;
  clients: Map<string, ClusterClient>;
  log: ExchangeLog;
  run: string;
}

/** Probes every feature in FEATURES order; the cluster is started and stays the caller's to stop. */
export async function conform(kind: ClusterKind, cluster: Cluster, log: ExchangeLog): Promise<FeatureResult[]> {
  const probe: Probe = { cluster, settledBy: Date.now() + SETTLE_MS, clients: new Map(), log, run: randomUUID().slice(0, 8) };
  try {
    await settle(probe);
    const results: FeatureResult[] = [];
    for (const feature of FEATURES) {
      log.take();
      const declared = kind.features.includes(feature);
      try {
        await PROBES[feature](probe);
        results.push({ feature, declared, verdict: "ok" });
      } catch (err) {
        const exchanges = log.take();
        if (err instanceof Missing) results.push({ feature, declared, verdict: "missing", why: err.message });
        else if (err instanceof Wrong)
          results.push({ feature, declared, verdict: "wrong", why: err.message, evidence: evidence(exchanges, err) });
        else throw err;
      }
    }
    return results;
  } finally {
    for (const c of probe.clients.values()) await c.close().catch(() => {});
  }
}

/** Waits (bounded) until some node reports a leader, when the nodes offer status; a cluster without status goes on at once. */
async function settle(p: Probe): Promise<void> {
  while (Date.now() < p.settledBy) {
    const leader = await p.cluster.leader?.().catch(() => null);
    if (leader) return;
    if (!p.cluster.leader) return;
    await sleep(RETRY_MS);
  }
}

function client(p: Probe, node = firstNode(p)): ClusterClient {
  let c = p.clients.get(node);
  if (!c) p.clients.set(node, (c = p.cluster.client(node)));
  return c;
}

function firstNode(p: Probe): string {
  return p.cluster.nodes()[0]!.id;
}

/**
 * Calls `feature` on a node, retrying refusals while the cluster settles.
 * Missing: the client has no such call, or the node has no such route.
 * Wrong: it still refuses, or the outcome is unknown, on a quiet cluster.
 */
async function call<T>(p: Probe, feature: Feature, args: unknown[], node?: string): Promise<T> {
  const c = client(p, node);
  const fn = c[feature] as ((...a: unknown[]) => Promise<Outcome<T>>) | undefined;
  if (typeof fn !== "function") throw new Missing(`the cluster's client has no ${feature}()`);
  const deadline = Math.max(p.settledBy, Date.now() + RETRY_MS * 10);
  for (;;) {
    let out: Outcome<T>;
    try {
      out = await fn.apply(c, args);
    } catch (err) {
      throw new Missing(`${feature}(): ${(err as Error).message}`);
    }
    if (out.type === "ok") return out.value;
    const route = missingRoute(p.log);
    if (route) throw new Missing(route);
    if (out.type === "info" || Date.now() > deadline)
      throw new Wrong(`${shown(feature, args)} ended ${out.type} (${out.error}) on a quiet cluster`, { cause: out });
    await sleep(RETRY_MS);
  }
}

/** "POST /v1/broadcast answered 404" when the last exchange says the route does not exist. */
function missingRoute(log: ExchangeLog): string | null {
  const all = log.take();
  const last = all[all.length - 1];
  // Put back what we looked at: it is the evidence if this turns out wrong.
  for (const e of all) log.record(e);
  if (last?.status === 404 || last?.status === 405 || last?.status === 501) return `${last.method} ${last.path} answered ${last.status}`;
  return null;
}

function expect(ok: boolean, why: string, got: unknown): void {
  if (!ok) throw new Wrong(`${why}; got ${JSON.stringify(got)}`);
}

const isInt = (v: unknown) => Number.isSafeInteger(v);

const PROBES: Record<Feature, (p: Probe) => Promise<void>> = {
  async status(p) {
    const roles = ["leader", "follower", "candidate", "precandidate"];
    let leader: string | null = null;
    do {
      for (const node of p.cluster.nodes().map((n) => n.id)) {
        const s = await call<NodeStatus>(p, "status", [], node);
        expect(typeof s === "object" && s !== null, "a status must be a JSON object", s);
        expect(
          typeof s.id === "string" && roles.includes(s.role) && isInt(s.term),
          `a status needs id (string), role (${roles.join("|")}) and term (integer)`,
          s,
        );
        expect(isInt(s.commitIndex) && isInt(s.appliedIndex), "a status needs commitIndex and appliedIndex (integers)", s);
        expect(s.leader === null || typeof s.leader === "string", "a status's leader is a node id or null", s);
        leader ??= s.leader;
      }
      if (leader !== null) return;
      await sleep(RETRY_MS);
    } while (Date.now() < p.settledBy);
    throw new Wrong(`no node's status named a leader within ${SETTLE_MS} ms of a quiet cluster`);
  },

  async put(p) {
    const out = await call<{ index?: number }>(p, "put", [`conform-${p.run}-put`, "v1"]);
    expect(typeof out === "object" && out !== null, "a put answers a JSON object ({index})", out);
  },

  async get(p) {
    const absent = await call<string | null>(p, "get", [`conform-${p.run}-absent`]);
    expect(absent === null, "a key never written reads as null", absent);
    const key = `conform-${p.run}-get`;
    if (typeof client(p).put !== "function") return;
    await call(p, "put", [key, "v1"]).catch(() => undefined);
    const value = await call<string | null>(p, "get", [key]);
    expect(value === "v1", `a key just written with "v1" reads "v1"`, value);
  },

  async cas(p) {
    const key = `conform-${p.run}-cas`;
    const created = await call<{ ok: boolean }>(p, "cas", [key, null, "a"]);
    expect(created?.ok === true, "a cas from null on an absent key succeeds ({ok: true})", created);
    const mismatch = await call<{ ok: boolean; value?: string | null }>(p, "cas", [key, "b", "c"]);
    expect(mismatch?.ok === false, 'a cas whose compare does not match ("b" against "a") must answer 409 {ok: false}', mismatch);
    const swap = await call<{ ok: boolean }>(p, "cas", [key, "a", "c"]);
    expect(swap?.ok === true, 'a cas whose compare matches ("a") succeeds ({ok: true})', swap);
    if (typeof client(p).get !== "function") return;
    const after = await call<string | null>(p, "get", [key]);
    expect(after === "c", 'after cas a→c the key reads "c"', after);
  },

  async broadcast(p) {
    const out = await call<{ seq: number; index: number; term: number }>(p, "broadcast", [`conform-${p.run}-b1`]);
    expect(
      isInt(out?.seq) && out.seq >= 1 && isInt(out.index) && isInt(out.term),
      "a broadcast answers {seq, index, term} (integers, seq from 1)",
      out,
    );
  },

  async deliveries(p) {
    const message = `conform-${p.run}-d1`;
    if (typeof client(p).broadcast === "function") await call(p, "broadcast", [message]).catch(() => undefined);
    const wanted = typeof client(p).broadcast === "function";
    for (const node of p.cluster.nodes().map((n) => n.id)) {
      const deadline = Date.now() + DELIVERY_WAIT_MS;
      for (;;) {
        const out = await call<{ deliveries: { seq: number; message: string }[]; next: number }>(p, "deliveries", [1, 10_000], node);
        const list = out?.deliveries;
        expect(Array.isArray(list) && isInt(out.next), "deliveries answer {deliveries: [{seq, message}], next}", out);
        list.forEach((d, i) =>
          expect(d?.seq === i + 1 && typeof d.message === "string", `deliveries from 1 carry seq 1, 2, 3, ... with no gap (entry ${i})`, d),
        );
        if (!wanted || list.some((d) => d.message === message)) break;
        if (Date.now() > deadline)
          throw new Wrong(`${node} did not deliver a broadcast message ${JSON.stringify(message)} within ${DELIVERY_WAIT_MS} ms`);
        await sleep(RETRY_MS);
      }
    }
  },

  async acquire(p) {
    const lock = `conform-${p.run}-lock-a`;
    const first = await call<{ ok: boolean; token?: number }>(p, "acquire", [lock, "alice"]);
    expect(first?.ok === true && isInt(first.token), "acquiring a free lock answers {token} (an integer)", first);
    const second = await call<{ ok: boolean; holder?: string | null }>(p, "acquire", [lock, "bob"]);
    expect(second?.ok === false && second.holder === "alice", 'acquiring a held lock answers 409 {holder: "alice"}', second);
  },

  async release(p) {
    const lock = `conform-${p.run}-lock-r`;
    const held =
      typeof client(p).acquire === "function"
        ? await call<{ ok: boolean; token?: number }>(p, "acquire", [lock, "alice"]).catch(() => null)
        : null;
    const token = held?.ok ? (held.token as number) : 1;
    const released = await call<{ ok: boolean }>(p, "release", [lock, "alice", token]);
    expect(released?.ok === true, "releasing a lock one holds answers 200", released);
    if (!held?.ok) return;
    const next = await call<{ ok: boolean; token?: number }>(p, "acquire", [lock, "bob"]);
    expect(
      next?.ok === true && isInt(next.token) && (next.token as number) > token,
      `after a release the lock is free, with a higher fencing token than ${token}`,
      next,
    );
  },

  async txn(p) {
    const key = `conform-${p.run}-txn`;
    const out = await call<unknown[]>(p, "txn", [
      [
        ["append", key, 1],
        ["r", key, null],
      ],
    ]);
    const read = Array.isArray(out) ? (out[1] as unknown[] | undefined) : undefined;
    expect(
      Array.isArray(read) && read[0] === "r" && read[1] === key && JSON.stringify(read[2]) === "[1]",
      `a txn [append ${key} 1, r ${key}] answers {ops} with the read filled: ["r", "${key}", [1]]`,
      out,
    );
  },
};

function shown(feature: string, args: unknown[]): string {
  return `${feature}(${args.map((a) => JSON.stringify(a)).join(", ")})`;
}

/** The last request and answer: raw HTTP where the kind shows it, else the call's outcome. */
function evidence(exchanges: Exchange[], err: Error): string[] {
  const last = exchanges[exchanges.length - 1];
  if (!last) return err.cause ? [`outcome: ${JSON.stringify(err.cause)}`] : [];
  const request = `${last.method} ${last.path}${last.request === undefined ? "" : ` ${JSON.stringify(last.request)}`}  (to ${last.node})`;
  const answer =
    last.error !== undefined ? `no answer: ${last.error}` : `${last.status} ${String(last.response).slice(0, ANSWER_SHOWN_CHARS)}`;
  return [`request: ${request}`, `answer:  ${answer}`];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
