import type { Clock } from "../node/replica-io.js";

/**
 * Virtual time for the simulator: no timer fires and no turn runs unless the
 * simulation says so, in an order fixed by when each was scheduled, so a run
 * replays from its seed. Each node incarnation gets its own `NodeClock`; a crash
 * cancels it, and with it every timer and turn the dead process had asked for.
 */

/** Turns run in one `runTurns`; a node that keeps asking for more is livelocked. */
const TURNS_PER_SETTLE_MAX = 10_000;

interface Timer {
  dueMs: number;
  periodMs: number;
  seq: number;
  fn: () => void;
  owner: NodeClock;
  cancelled: boolean;
}

export class SimClock {
  private now = 0;
  private seq = 0;
  private timers: Timer[] = [];
  private turns: { fn: () => void; owner: NodeClock }[] = [];

  get nowMs(): number {
    return this.now;
  }

  /** A clock for one node incarnation. */
  forNode(): NodeClock {
    return new NodeClock(this);
  }

  /** Moves time forward by `ms`, firing every timer due, in due order. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (let fired = 0; fired < TURNS_PER_SETTLE_MAX; fired++) {
      this.timers = this.timers.filter((t) => !t.cancelled && !t.owner.cancelled);
      let next: Timer | null = null;
      for (const t of this.timers)
        if (t.dueMs <= until && (next === null || t.dueMs < next.dueMs || (t.dueMs === next.dueMs && t.seq < next.seq))) next = t;
      if (next === null) {
        this.now = until;
        return;
      }
      this.now = Math.max(this.now, next.dueMs);
      if (next.periodMs > 0) {
        next.dueMs += next.periodMs;
        next.seq = this.seq++;
      } else next.cancelled = true;
      next.fn();
    }
    throw new Error(`sim clock: over ${TURNS_PER_SETTLE_MAX} timers fired in one advance`);
  }

  /**
   * Runs queued turns and lets every promise they start settle (the simulated
   * disk and network answer at once, so a macrotask boundary is enough), until
   * nothing is left to run.
   */
  async runTurns(): Promise<void> {
    for (let n = 0; n < TURNS_PER_SETTLE_MAX; n++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.turns.length === 0) return;
      const batch = this.turns;
      this.turns = [];
      for (const t of batch) if (!t.owner.cancelled) t.fn();
    }
    throw new Error(`sim clock: turns still queued after ${TURNS_PER_SETTLE_MAX} rounds (a livelock)`);
  }

  addTimer(owner: NodeClock, delayMs: number, periodMs: number, fn: () => void): Timer {
    const t: Timer = { dueMs: this.now + delayMs, periodMs, seq: this.seq++, fn, owner, cancelled: false };
    this.timers.push(t);
    return t;
  }

  addTurn(owner: NodeClock, fn: () => void): void {
    this.turns.push({ fn, owner });
  }
}

export class NodeClock implements Clock {
  cancelled = false;

  constructor(private readonly world: SimClock) {}

  nowMs = (): number => this.world.nowMs;

  every = (ms: number, fn: () => void): (() => void) => {
    const t = this.world.addTimer(this, ms, ms, fn);
    return () => {
      t.cancelled = true;
    };
  };

  soon = (fn: () => void): void => this.world.addTurn(this, fn);

  /** A promise that resolves `ms` from now, unless this incarnation dies first (then never). */
  after(ms: number): Promise<void> {
    return new Promise((resolve) => void this.world.addTimer(this, ms, 0, resolve));
  }

  /** The process died: nothing it scheduled runs any more. */
  cancel(): void {
    this.cancelled = true;
  }
}
