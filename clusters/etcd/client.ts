import type { ClusterClient, NodeStatus, Outcome, ReadConsistency } from "../cluster.js";
import { Gateway } from "./gateway.js";
import { readFailure, writeFailure } from "./outcome.js";
import { memberStatus } from "./status.js";

export type EtcdReads = "linearizable" | "serializable";

export interface EtcdClientOptions {
  node: string;
  /** The member's client URL, e.g. http://127.0.0.1:2379 */
  url: string;
  /** How get() reads when the caller names no consistency. */
  reads: EtcdReads;
  timeoutMs: number;
  /** Maps an etcd member id (decimal string) to our node name. */
  memberName: (memberId: string) => string | null;
}

interface KeyValue {
  value?: string;
}

const encode = (text: string) => Buffer.from(text, "utf8").toString("base64");
const decode = (base64: string | undefined) => Buffer.from(base64 ?? "", "base64").toString("utf8");

/** The first value of a range response, or null when the key is absent (etcd then omits `kvs`). */
function firstValue(range: { kvs?: KeyValue[] } | undefined): string | null {
  const kv = range?.kvs?.[0];
  return kv ? decode(kv.value) : null;
}

/**
 * A client of one etcd member through its JSON gateway (etcd 3.4 serves it at
 * /v3/... on the client port). Offers get, put, cas and status; etcd has no
 * broadcast, lock or txn API in our shape, so those optional methods are absent.
 */
export class EtcdClient implements ClusterClient {
  readonly node: string;
  private readonly gateway: Gateway;

  constructor(private readonly options: EtcdClientOptions) {
    this.node = options.node;
    this.gateway = new Gateway(options.url, options.timeoutMs);
  }

  async get(key: string, consistency?: ReadConsistency): Promise<Outcome<string | null>> {
    // etcd has two read paths: ReadIndex (linearizable) and the local store
    // (serializable). "log" has no etcd equivalent; linearizable is its closest.
    const wanted = consistency ?? this.options.reads;
    const serializable = wanted === "serializable" || wanted === "local";
    const reply = await this.gateway.post("/v3/kv/range", { key: encode(key), serializable });
    if (reply.kind !== "ok") return readFailure(reply);
    return { type: "ok", value: firstValue(reply.body as { kvs?: KeyValue[] }) };
  }

  async put(key: string, value: string): Promise<Outcome<{ index?: number }>> {
    const reply = await this.gateway.post("/v3/kv/put", { key: encode(key), value: encode(value) });
    if (reply.kind !== "ok") return writeFailure(reply);
    const revision = Number((reply.body as { header?: { revision?: string } }).header?.revision);
    return { type: "ok", value: Number.isFinite(revision) ? { index: revision } : {} };
  }

  async cas(key: string, from: string | null, to: string): Promise<Outcome<{ ok: boolean; value?: string | null }>> {
    const k = encode(key);
    // "Absent" is create_revision 0: comparing a missing key's VALUE always fails in etcd.
    const compare =
      from === null
        ? { key: k, target: "CREATE", result: "EQUAL", create_revision: "0" }
        : { key: k, target: "VALUE", result: "EQUAL", value: encode(from) };
    const reply = await this.gateway.post("/v3/kv/txn", {
      compare: [compare],
      success: [{ request_put: { key: k, value: encode(to) } }],
      failure: [{ request_range: { key: k } }],
    });
    if (reply.kind !== "ok") return writeFailure(reply);
    // proto3 JSON omits false, so a failed compare has no `succeeded` field at all.
    const body = reply.body as { succeeded?: boolean; responses?: { response_range?: { kvs?: KeyValue[] } }[] };
    if (body.succeeded === true) return { type: "ok", value: { ok: true } };
    return { type: "ok", value: { ok: false, value: firstValue(body.responses?.[0]?.response_range) } };
  }

  async status(): Promise<Outcome<NodeStatus>> {
    const status = await memberStatus(this.gateway);
    if ("error" in status) return { type: "fail", error: status.error };
    const isLeader = status.leaderId === status.memberId;
    return {
      type: "ok",
      value: {
        id: this.node,
        // etcd reports only who leads, not whether a follower is campaigning.
        role: isLeader ? "leader" : "follower",
        term: status.raftTerm,
        leader: status.leaderId === null ? null : this.options.memberName(status.leaderId),
        commitIndex: status.raftIndex,
        appliedIndex: status.appliedIndex,
      },
    };
  }

  async close(): Promise<void> {
    this.gateway.close();
  }
}
