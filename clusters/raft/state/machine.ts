import { decodeEnvelope, type Command, type TxnOp } from "./commands.js";
import { Sessions, type SessionsSnapshot } from "./sessions.js";

/**
 * The replicated state machine. Entries are applied in log order, and the
 * result of each depends only on the state and the entry, so every replica
 * that applies the same log holds the same state and returns the same results.
 * It knows nothing of the network or of Raft beyond an entry's index and term.
 */

export interface Delivery {
  seq: number;
  message: string;
}

export type ApplyResult =
  | { op: "put"; index: number }
  | { op: "get"; value: string | null }
  | { op: "cas"; ok: true }
  | { op: "cas"; ok: false; value: string | null }
  | { op: "bcast"; seq: number; index: number; term: number }
  | { op: "acquire"; ok: true; token: number }
  | { op: "acquire"; ok: false; holder: string }
  | { op: "release"; ok: true }
  | { op: "release"; ok: false; holder: string | null }
  | { op: "txn"; ops: TxnOp[] }
  | { op: "register"; client: string }
  /** A session-tagged write that cannot be deduplicated: refused, not applied (a retry's earlier try may have). */
  | { op: "session"; refused: string };

interface Lock {
  owner: string;
  token: number;
}

/** Deliveries answered per request at most, so one read stays small. */
export const DELIVERIES_LIMIT_MAX = 10_000;
/**
 * Deliveries kept, the newest: the broadcast log is bounded like the Raft log, so
 * memory and snapshots stay bounded however long a cluster runs. A read below the
 * retained start is answered "compacted" (HTTP 410) with the first retained seq;
 * readers keep up by reading as they go. (The other choice, the delivered log in
 * its own segment files, keeps every delivery readable at the cost of a second
 * durable log to write, sync and recover; history readers here read continuously.)
 */
export const DELIVERIES_RETAINED = 100_000;
/** Deliveries dropped at once beyond the retained count: a trim is amortized, not per entry. */
const DELIVERIES_TRIM_SLACK = 10_000;

export type DeliveriesAnswer = { deliveries: Delivery[]; next: number } | { compacted: true; first: number };

/** The state machine's state as a snapshot holds it (JSON), version 1. */
interface StateImage {
  v: 1;
  applied: number;
  kv: Array<[string, string]>;
  lists: Array<[string, number[]]>;
  locks: Array<[string, string, number]>;
  firstSeq: number;
  delivered: string[];
  sessions: SessionsSnapshot<ApplyResult>;
}

export interface StateMachineOptions {
  /** A grant's fencing token; by default the acquiring entry's index, which only grows (a bug may say otherwise). */
  lockToken?: (index: number, term: number) => number;
}

export class StateMachine {
  private readonly kv = new Map<string, string>();
  private readonly lists = new Map<string, number[]>();
  private readonly locks = new Map<string, Lock>();
  /** Deliveries from seq `firstSeq` on. */
  private delivered: Delivery[] = [];
  private firstSeq = 1;
  readonly sessions = new Sessions<ApplyResult>();
  private appliedIndexValue = 0;

  constructor(private readonly options: StateMachineOptions = {}) {}

  get appliedIndex(): number {
    return this.appliedIndexValue;
  }

  /** Marks an entry without a command (the leader's no-op) as applied. */
  skip(index: number): void {
    this.advanceTo(index);
  }

  /** Applies the command in `data`, the entry at `index` of `term`. */
  apply(index: number, term: number, data: string): ApplyResult {
    this.advanceTo(index);
    const { cmd, session, timeMs } = decodeEnvelope(data);
    this.sessions.advanceTime(timeMs);
    if (session === null) return this.run(cmd, index, term);
    const check = this.sessions.check(session);
    if (check.kind === "duplicate") return check.result;
    if (check.kind === "refused") return { op: "session", refused: check.reason };
    const result = this.run(cmd, index, term);
    this.sessions.record(session, result);
    return result;
  }

  get(key: string): string | null {
    return this.kv.get(key) ?? null;
  }

  /** Deliveries with seq >= from, at most `limit` of them, in seq order; "compacted" below the retained start. */
  deliveries(from: number, limit: number): DeliveriesAnswer {
    const start = Math.max(1, from);
    if (start < this.firstSeq) return { compacted: true, first: this.firstSeq };
    const count = Math.min(limit, DELIVERIES_LIMIT_MAX);
    const at = start - this.firstSeq;
    const slice = this.delivered.slice(at, at + count);
    return { deliveries: slice, next: start + slice.length };
  }

  /** The whole state as of `appliedIndex`, for a snapshot. */
  snapshot(): string {
    const image: StateImage = {
      v: 1,
      applied: this.appliedIndexValue,
      kv: [...this.kv],
      lists: [...this.lists],
      locks: [...this.locks].map(([name, l]) => [name, l.owner, l.token]),
      firstSeq: this.firstSeq,
      delivered: this.delivered.map((d) => d.message),
      sessions: this.sessions.snapshot(),
    };
    return JSON.stringify(image);
  }

  /** Replaces the whole state with a snapshot's; throws on one that is not ours. */
  restore(data: string): void {
    const image = JSON.parse(data) as StateImage;
    if (image?.v !== 1 || !Number.isSafeInteger(image.applied) || !Array.isArray(image.kv) || !Array.isArray(image.delivered)) {
      throw new Error("snapshot: not a state machine image of version 1");
    }
    this.kv.clear();
    for (const [k, v] of image.kv) this.kv.set(k, v);
    this.lists.clear();
    for (const [k, list] of image.lists) this.lists.set(k, list);
    this.locks.clear();
    for (const [name, owner, token] of image.locks) this.locks.set(name, { owner, token });
    this.firstSeq = image.firstSeq;
    this.delivered = image.delivered.map((message, i) => ({ seq: image.firstSeq + i, message }));
    this.sessions.restore(image.sessions);
    this.appliedIndexValue = image.applied;
  }

  private advanceTo(index: number): void {
    // Applying out of order or twice would make replicas diverge: a programmer error.
    if (index !== this.appliedIndexValue + 1) {
      throw new Error(`state machine: applying index ${index} after ${this.appliedIndexValue}`);
    }
    this.appliedIndexValue = index;
  }

  private run(cmd: Command, index: number, term: number): ApplyResult {
    switch (cmd.op) {
      case "put":
        this.kv.set(cmd.key, cmd.value);
        return { op: "put", index };
      case "get":
        return { op: "get", value: this.get(cmd.key) };
      case "cas": {
        const current = this.get(cmd.key);
        if (current !== cmd.from) return { op: "cas", ok: false, value: current };
        this.kv.set(cmd.key, cmd.to);
        return { op: "cas", ok: true };
      }
      case "bcast": {
        const seq = this.firstSeq + this.delivered.length;
        this.delivered.push({ seq, message: cmd.message });
        if (this.delivered.length > DELIVERIES_RETAINED + DELIVERIES_TRIM_SLACK) {
          const drop = this.delivered.length - DELIVERIES_RETAINED;
          this.delivered = this.delivered.slice(drop);
          this.firstSeq += drop;
        }
        return { op: "bcast", seq, index, term };
      }
      case "acquire": {
        const held = this.locks.get(cmd.name);
        if (held) return { op: "acquire", ok: false, holder: held.owner };
        // The fencing token is the acquiring entry's log index: it only grows.
        const token = this.options.lockToken ? this.options.lockToken(index, term) : index;
        this.locks.set(cmd.name, { owner: cmd.owner, token });
        return { op: "acquire", ok: true, token };
      }
      case "release": {
        const held = this.locks.get(cmd.name);
        if (!held || held.owner !== cmd.owner || held.token !== cmd.token) {
          return { op: "release", ok: false, holder: held?.owner ?? null };
        }
        this.locks.delete(cmd.name);
        return { op: "release", ok: true };
      }
      case "txn":
        return { op: "txn", ops: this.txn(cmd.ops) };
      case "register": {
        // The session id is the registering entry's index: unique, and the same everywhere.
        const client = String(index);
        this.sessions.register(client);
        return { op: "register", client };
      }
    }
  }

  /** All micro-ops of one entry apply together: no other entry interleaves. */
  private txn(ops: TxnOp[]): TxnOp[] {
    return ops.map((op): TxnOp => {
      const [f, key] = op;
      if (f === "append") {
        const list = this.lists.get(key);
        if (list) list.push(op[2]);
        else this.lists.set(key, [op[2]]);
        return op;
      }
      const list = this.lists.get(key);
      // A list never appended to reads as empty: a filled read is always a list.
      return ["r", key, list ? [...list] : []];
    });
  }
}
