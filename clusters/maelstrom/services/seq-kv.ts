/**
 * seq-kv: sequentially consistent, not linearizable. Updates apply to the
 * newest state in one total order; a read may see any state from the last one
 * its caller saw up to the newest (a seeded draw). Each caller's view only
 * moves forward, so every caller's operations fit the one total order, yet a
 * read can miss a write that finished before it began: a real stale read.
 */
import { nextInt, type RngState, seedRng } from "../../../src/rng.js";
import type { Body } from "../../api/maelstrom-protocol.js";
import { kvRequest } from "./kv.js";
import type { Service } from "./service.js";

/** Past values kept per key; reads never go back past the oldest kept. */
const VERSIONS_PER_KEY_MAX = 32;

interface Version {
  /** The position of the update in the total order. */
  at: number;
  value: unknown;
}

export class SeqKv implements Service {
  readonly id = "seq-kv";
  private readonly versions = new Map<string, Version[]>();
  /** Updates applied so far: the newest state's position. */
  private latest = 0;
  /** Per caller: the newest state it has seen. */
  private readonly seen = new Map<string, number>();
  private rng: RngState;

  constructor(seed: number) {
    this.rng = seedRng(seed ^ 0x5e9);
  }

  handle(src: string, body: Body): Body {
    const seen = this.seen.get(src) ?? 0;
    if (body.type !== "read") {
      const reply = kvRequest(body, {
        get: (k) => this.valueAt(k, this.latest),
        set: (k, v) => this.update(k, v),
      });
      this.seen.set(src, this.latest);
      return reply;
    }
    let at = seen;
    return kvRequest(body, {
      get: (k) => {
        const kept = this.versions.get(k);
        const floor = Math.max(seen, kept && kept.length === VERSIONS_PER_KEY_MAX ? (kept[0] as Version).at : 0);
        let step: number;
        [step, this.rng] = nextInt(this.rng, this.latest - floor + 1);
        at = floor + step;
        this.seen.set(src, at);
        return this.valueAt(k, at);
      },
      set: () => {
        throw new Error("seq-kv: a read does not write");
      },
    });
  }

  close(): void {}

  private update(key: string, value: unknown): void {
    this.latest++;
    const kept = this.versions.get(key) ?? [];
    kept.push({ at: this.latest, value });
    if (kept.length > VERSIONS_PER_KEY_MAX) kept.shift();
    this.versions.set(key, kept);
  }

  private valueAt(key: string, at: number): unknown {
    const kept = this.versions.get(key);
    if (!kept) return undefined;
    for (let i = kept.length - 1; i >= 0; i--) if ((kept[i] as Version).at <= at) return (kept[i] as Version).value;
    return undefined;
  }
}
