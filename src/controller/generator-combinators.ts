/**
 * Combinators over generators (./generator.ts): mix, limit, rate, stagger,
 * time limit, concurrency limit, phases. Each is an immutable value; asking
 * for an op returns the combinator's next state along with the op.
 */
import { NS_PER_S, type Op } from "../history/op.js";
import { DONE, type GenContext, type Generator, PENDING, type Step } from "./generator.js";
import { nextFloat, pickWeighted, type RngState, seedRng } from "../rng.js";

/** Each op comes from one child chosen at random by weight; a finished child drops out. */
export function mix(children: readonly { gen: Generator; weight: number }[], seed: number): Generator {
  return new Mix(children, seedRng(seed));
}

class Mix implements Generator {
  constructor(
    private readonly children: readonly { gen: Generator; weight: number }[],
    private readonly rng: RngState,
  ) {}

  op(ctx: GenContext): Step {
    if (this.children.length === 0) return DONE;
    const [i, rng] = pickWeighted(
      this.rng,
      this.children.map((c) => c.weight),
    );
    const child = this.children[i]!;
    const step = child.gen.op(ctx);
    if (step.kind === "done") {
      return new Mix(
        this.children.filter((_, j) => j !== i),
        rng,
      ).op(ctx);
    }
    const children = this.children.map((c, j) => (j === i ? { gen: step.gen, weight: c.weight } : c));
    const gen = new Mix(children, rng);
    return step.kind === "op" ? { kind: "op", op: step.op, gen } : PENDING(gen);
  }

  update(ctx: GenContext, event: Op): Generator {
    return new Mix(
      this.children.map((c) => ({ gen: c.gen.update(ctx, event), weight: c.weight })),
      this.rng,
    );
  }
}

/** At most `count` ops from the child. */
export function limit(count: number, gen: Generator): Generator {
  return new Limit(count, gen);
}

class Limit implements Generator {
  constructor(
    private readonly remaining: number,
    private readonly gen: Generator,
  ) {}

  op(ctx: GenContext): Step {
    if (this.remaining <= 0) return DONE;
    const step = this.gen.op(ctx);
    if (step.kind === "done") return DONE;
    if (step.kind === "pending") return PENDING(new Limit(this.remaining, step.gen));
    return { kind: "op", op: step.op, gen: new Limit(this.remaining - 1, step.gen) };
  }

  update(ctx: GenContext, event: Op): Generator {
    return new Limit(this.remaining, this.gen.update(ctx, event));
  }
}

/**
 * Spaces the child's ops in time, across all processes together: the next op is
 * due `interval` after the previous one. `jitter` true draws each interval
 * uniformly from [0, 2 * mean) (Jepsen's stagger), so the mean rate holds
 * without lockstep.
 */
class Spaced implements Generator {
  constructor(
    private readonly meanIntervalNs: number,
    private readonly jitter: boolean,
    private readonly nextAtNs: number,
    private readonly rng: RngState,
    private readonly gen: Generator,
  ) {}

  op(ctx: GenContext): Step {
    const step = this.gen.op(ctx);
    if (step.kind === "done") return DONE;
    if (step.kind === "pending") return PENDING(this.with(this.nextAtNs, this.rng, step.gen));
    const atNs = Math.max(this.nextAtNs, step.op.timeNs);
    let intervalNs = this.meanIntervalNs;
    let rng = this.rng;
    if (this.jitter) {
      const [f, r] = nextFloat(rng);
      intervalNs = Math.floor(f * 2 * this.meanIntervalNs);
      rng = r;
    }
    // A schedule that fell behind (slow clients) does not burst to catch up.
    const nextAtNs = Math.max(atNs, ctx.timeNs) + intervalNs;
    return { kind: "op", op: { ...step.op, timeNs: atNs }, gen: this.with(nextAtNs, rng, step.gen) };
  }

  update(ctx: GenContext, event: Op): Generator {
    return this.with(this.nextAtNs, this.rng, this.gen.update(ctx, event));
  }

  private with(nextAtNs: number, rng: RngState, gen: Generator): Spaced {
    return new Spaced(this.meanIntervalNs, this.jitter, nextAtNs, rng, gen);
  }
}

/** At most `opsPerS` ops per second from the child, evenly spaced. */
export function rate(opsPerS: number, gen: Generator): Generator {
  if (!(opsPerS > 0)) throw new Error(`rate: ops/s must be > 0, got ${opsPerS}`);
  return new Spaced(NS_PER_S / opsPerS, false, 0, 0, gen);
}

/** Ops at random intervals averaging `meanIntervalNs` (uniform in [0, 2 * mean)). */
export function stagger(meanIntervalNs: number, gen: Generator, seed: number): Generator {
  if (!(meanIntervalNs >= 0)) throw new Error(`stagger: interval must be >= 0, got ${meanIntervalNs}`);
  return new Spaced(meanIntervalNs, true, 0, seedRng(seed), gen);
}

/** The child's ops for `durationNs` from the first time it is asked; then done. */
export function timeLimit(durationNs: number, gen: Generator): Generator {
  return new TimeLimit(durationNs, null, gen);
}

class TimeLimit implements Generator {
  constructor(
    private readonly durationNs: number,
    private readonly deadlineNs: number | null,
    private readonly gen: Generator,
  ) {}

  op(ctx: GenContext): Step {
    const deadlineNs = this.deadlineNs ?? ctx.timeNs + this.durationNs;
    if (ctx.timeNs >= deadlineNs) return DONE;
    const step = this.gen.op(ctx);
    if (step.kind === "done") return DONE;
    if (step.kind === "pending") return PENDING(new TimeLimit(this.durationNs, deadlineNs, step.gen));
    // An op due after the deadline would run past it.
    if (step.op.timeNs >= deadlineNs) return DONE;
    return { kind: "op", op: step.op, gen: new TimeLimit(this.durationNs, deadlineNs, step.gen) };
  }

  update(ctx: GenContext, event: Op): Generator {
    return new TimeLimit(this.durationNs, this.deadlineNs, this.gen.update(ctx, event));
  }
}

/**
 * At most `n` of the child's ops outstanding at once: only the first `n`
 * threads' processes may run them (the runner's thread count is the ceiling).
 */
export function concurrency(n: number, gen: Generator): Generator {
  if (!(n >= 1)) throw new Error(`concurrency: n must be >= 1, got ${n}`);
  return new Concurrency(n, gen);
}

class Concurrency implements Generator {
  constructor(
    private readonly n: number,
    private readonly gen: Generator,
  ) {}

  op(ctx: GenContext): Step {
    const allowed = new Set(ctx.processes.slice(0, this.n));
    const free = ctx.free.filter((p) => allowed.has(p));
    const step = this.gen.op({ ...ctx, free });
    if (step.kind === "done") return DONE;
    if (step.kind === "pending") return PENDING(new Concurrency(this.n, step.gen));
    return { kind: "op", op: step.op, gen: new Concurrency(this.n, step.gen) };
  }

  update(ctx: GenContext, event: Op): Generator {
    return new Concurrency(this.n, this.gen.update(ctx, event));
  }
}

/**
 * Each child runs to its end, then every outstanding op completes, then the
 * next child starts (main phase, recovery, final reads).
 */
export function phases(...children: Generator[]): Generator {
  return new Phases(children, false);
}

class Phases implements Generator {
  constructor(
    private readonly children: readonly Generator[],
    /** The current child is done; wait until no op is outstanding before the next. */
    private readonly draining: boolean,
  ) {}

  op(ctx: GenContext): Step {
    let children = this.children;
    let draining = this.draining;
    for (let guard = 0; guard <= this.children.length; guard++) {
      if (draining) {
        if (ctx.free.length < ctx.processes.length) return PENDING(new Phases(children, true));
        children = children.slice(1);
        draining = false;
      }
      const head = children[0];
      if (head === undefined) return DONE;
      const step = head.op(ctx);
      if (step.kind === "done") {
        draining = true;
        continue;
      }
      const rest = [step.gen, ...children.slice(1)];
      if (step.kind === "pending") return PENDING(new Phases(rest, false));
      return { kind: "op", op: step.op, gen: new Phases(rest, false) };
    }
    return DONE;
  }

  update(ctx: GenContext, event: Op): Generator {
    const [head, ...rest] = this.children;
    if (head === undefined || this.draining) return this;
    return new Phases([head.update(ctx, event), ...rest], false);
  }
}

/**
 * The child's ops until `over(timeNs)` says the phase is over. The one impure
 * hook, for the controller: the recovery phase ends a fixed time after the
 * final heal, and only the nemesis knows when that heal finished.
 */
export function until(over: (timeNs: number) => boolean, gen: Generator): Generator {
  return new Until(over, gen);
}

class Until implements Generator {
  constructor(
    private readonly over: (timeNs: number) => boolean,
    private readonly gen: Generator,
  ) {}

  op(ctx: GenContext): Step {
    if (this.over(ctx.timeNs)) return DONE;
    const step = this.gen.op(ctx);
    if (step.kind === "done") return DONE;
    if (step.kind === "pending") return PENDING(new Until(this.over, step.gen));
    return { kind: "op", op: step.op, gen: new Until(this.over, step.gen) };
  }

  update(ctx: GenContext, event: Op): Generator {
    return new Until(this.over, this.gen.update(ctx, event));
  }
}
