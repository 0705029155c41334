import type { Message, NodeId } from "../core/types.js";

/** Messages in flight at once; beyond this the network drops, as a full buffer would. */
export const IN_FLIGHT_MAX = 100_000;

export interface NetworkFaults {
  /** Chance each message is lost. */
  dropRate: number;
  /** Chance each message is delivered twice. */
  duplicateRate: number;
  /** Each copy arrives 1..delayTicksMax ticks after sending, so messages overtake each other. */
  delayTicksMax: number;
}

interface InFlight {
  message: Message;
  deliverTick: number;
  /** Send order, to break ties deterministically. */
  seq: number;
}

export interface NetworkCounters {
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
}

/**
 * A seeded, lossy, reordering network. A partition blocks delivery between groups:
 * a message in flight when a partition starts is lost at delivery time.
 */
export class SimNetwork {
  private inFlight: InFlight[] = [];
  private seq = 0;
  private blocked = new Set<string>();
  readonly counters: NetworkCounters = { sent: 0, delivered: 0, dropped: 0, duplicated: 0 };

  constructor(
    private readonly rng: () => number,
    private faults: NetworkFaults,
  ) {}

  setFaults(faults: NetworkFaults): void {
    this.faults = faults;
  }

  send(message: Message, nowTick: number): void {
    this.counters.sent++;
    if (this.rng() < this.faults.dropRate || this.inFlight.length >= IN_FLIGHT_MAX) {
      this.counters.dropped++;
      return;
    }
    const copies = this.rng() < this.faults.duplicateRate ? 2 : 1;
    if (copies === 2) this.counters.duplicated++;
    for (let i = 0; i < copies; i++) {
      const delay = 1 + Math.floor(this.rng() * this.faults.delayTicksMax);
      this.inFlight.push({ message, deliverTick: nowTick + delay, seq: this.seq++ });
    }
  }

  /** Splits the nodes into groups that cannot reach each other. */
  partition(groups: NodeId[][]): void {
    this.blocked.clear();
    for (const [i, a] of groups.entries()) {
      for (const [j, b] of groups.entries()) {
        if (i === j) continue;
        for (const x of a) for (const y of b) this.blocked.add(`${x}>${y}`);
      }
    }
  }

  heal(): void {
    this.blocked.clear();
  }

  isPartitioned(): boolean {
    return this.blocked.size > 0;
  }

  /** Removes and returns the messages due by `nowTick` that a partition does not block, in arrival order. */
  takeDue(nowTick: number): Message[] {
    const due: InFlight[] = [];
    const later: InFlight[] = [];
    for (const f of this.inFlight) (f.deliverTick <= nowTick ? due : later).push(f);
    this.inFlight = later;
    due.sort((x, y) => x.deliverTick - y.deliverTick || x.seq - y.seq);
    const out: Message[] = [];
    for (const f of due) {
      if (this.blocked.has(`${f.message.from}>${f.message.to}`)) {
        this.counters.dropped++;
        continue;
      }
      out.push(f.message);
    }
    this.counters.delivered += out.length;
    return out;
  }

  /** A crashed node's inbound messages die with its sockets. */
  dropTo(node: NodeId): void {
    const before = this.inFlight.length;
    this.inFlight = this.inFlight.filter((f) => f.message.to !== node);
    this.counters.dropped += before - this.inFlight.length;
  }
}
