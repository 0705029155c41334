import type { SessionTag } from "./commands.js";

/**
 * Client sessions (Raft dissertation, 6.3): per session, the highest sequence
 * number applied and its result, so a retried write answers the first result
 * instead of applying twice. Time is the leader's clock as written in the log
 * (monotonic here: a new leader's slower clock never moves it back), so every
 * replica expires the same sessions at the same entry.
 */

/** A session idle this long (log time) expires; a retry after that is refused. */
export const SESSION_IDLE_MS_MAX = 10 * 60_000;
/** Sessions kept at most; registering one more expires the least recently used. */
export const SESSIONS_MAX = 10_000;

interface Session<R> {
  seq: number;
  result: R | null;
  lastMs: number;
}

export type SessionCheck<R> = { kind: "new" } | { kind: "duplicate"; result: R } | { kind: "refused"; reason: string };

export interface SessionsSnapshot<R> {
  nowMs: number;
  sessions: Array<[string, number, R | null, number]>;
}

export class Sessions<R> {
  /** Least recently used first: a touch moves a session to the end. */
  private readonly byClient = new Map<string, Session<R>>();
  private nowMsValue = 0;

  get size(): number {
    return this.byClient.size;
  }

  /** Moves log time forward to `timeMs` and expires idle sessions. */
  advanceTime(timeMs: number): void {
    if (timeMs <= this.nowMsValue) return;
    this.nowMsValue = timeMs;
    for (const [client, s] of this.byClient) {
      if (this.nowMsValue - s.lastMs < SESSION_IDLE_MS_MAX) break;
      this.byClient.delete(client);
    }
  }

  register(client: string): void {
    if (this.byClient.size >= SESSIONS_MAX) {
      const oldest = this.byClient.keys().next().value as string;
      this.byClient.delete(oldest);
    }
    this.byClient.set(client, { seq: 0, result: null, lastMs: this.nowMsValue });
  }

  /** Whether the write tagged `tag` must apply, or was applied already, or cannot be told. */
  check(tag: SessionTag): SessionCheck<R> {
    const s = this.byClient.get(tag.client);
    if (!s) return { kind: "refused", reason: `session ${tag.client} is unknown or expired` };
    this.touch(tag.client, s);
    if (tag.seq === s.seq && s.result !== null) return { kind: "duplicate", result: s.result };
    if (tag.seq <= s.seq) return { kind: "refused", reason: `sequence ${tag.seq} is behind the session's ${s.seq}` };
    return { kind: "new" };
  }

  /** Records the result of the write `tag` just applied. */
  record(tag: SessionTag, result: R): void {
    const s = this.byClient.get(tag.client);
    if (!s) return;
    s.seq = tag.seq;
    s.result = result;
  }

  snapshot(): SessionsSnapshot<R> {
    return { nowMs: this.nowMsValue, sessions: [...this.byClient].map(([c, s]) => [c, s.seq, s.result, s.lastMs]) };
  }

  restore(snap: SessionsSnapshot<R>): void {
    this.byClient.clear();
    this.nowMsValue = snap.nowMs;
    for (const [client, seq, result, lastMs] of snap.sessions) this.byClient.set(client, { seq, result, lastMs });
  }

  private touch(client: string, s: Session<R>): void {
    s.lastMs = this.nowMsValue;
    this.byClient.delete(client);
    this.byClient.set(client, s);
  }
}
