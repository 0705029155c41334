/**
 * lww-kv: intentionally weak, as in Maelstrom. Several replicas answer
 * independently (each request goes to a seeded random one); a write is
 * stamped with the replica's clock, which is skewed; the replicas gossip
 * periodically and keep the higher stamp. So reads are really stale between
 * gossips, and concurrent writes really lose to a skewed clock.
 */
import { nextFloat, nextInt, type RngState, seedRng } from "../../../src/rng.js";
import type { Body } from "../../api/maelstrom-protocol.js";
import { kvRequest } from "./kv.js";
import type { Service } from "./service.js";

const REPLICAS = 5;
const GOSSIP_MS = 250;
const CLOCK_SKEW_MS_MAX = 100;

interface Stamped {
  value: unknown;
  ts: number;
}

export class LwwKv implements Service {
  readonly id = "lww-kv";
  private readonly replicas: Map<string, Stamped>[] = [];
  private readonly skewMs: number[] = [];
  private readonly gossip: NodeJS.Timeout;
  private rng: RngState;

  constructor(seed: number) {
    this.rng = seedRng(seed ^ 0x11c);
    for (let i = 0; i < REPLICAS; i++) {
      let f: number;
      [f, this.rng] = nextFloat(this.rng);
      this.replicas.push(new Map());
      this.skewMs.push((f * 2 - 1) * CLOCK_SKEW_MS_MAX);
    }
    this.gossip = setInterval(() => this.merge(), GOSSIP_MS);
    this.gossip.unref();
  }

  handle(_src: string, body: Body): Body {
    let i: number;
    [i, this.rng] = nextInt(this.rng, REPLICAS);
    const replica = this.replicas[i] as Map<string, Stamped>;
    const ts = performance.now() + (this.skewMs[i] as number);
    return kvRequest(body, {
      get: (k) => replica.get(k)?.value,
      set: (k, value) => void replica.set(k, { value, ts }),
    });
  }

  close(): void {
    clearInterval(this.gossip);
  }

  /** Every replica takes, per key, the value with the highest stamp. */
  private merge(): void {
    const best = new Map<string, Stamped>();
    for (const r of this.replicas) for (const [k, s] of r) if ((best.get(k)?.ts ?? -Infinity) < s.ts) best.set(k, s);
    for (const r of this.replicas) for (const [k, s] of best) r.set(k, s);
  }
}
