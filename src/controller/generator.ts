/**
 * Generators: pure descriptions of what the clients do (docs/ARCHITECTURE.md,
 * "Seams"). A generator is an immutable value. Asked with a context (the time,
 * the idle processes) it answers with an op and the generator that follows it,
 * "pending" (nothing to do right now: wait for a completion or for time to
 * pass), or "done". It sees every completion through `update`, so that, e.g.,
 * a lock client releases with the token its acquire got. Randomness is carried
 * as state (./rng.ts), so a seed fixes every decision.
 */
import type { Op, Process } from "../history/op.js";
import { type RngState, seedRng } from "../rng.js";

export interface GenContext {
  /** Nanoseconds since the run's start. */
  timeNs: number;
  /** Client processes that are idle now, in a stable order. */
  free: readonly Process[];
  /** Every current client process, idle or busy, in thread order. */
  processes: readonly Process[];
  /** The cluster's node ids, for ops aimed at one node. */
  nodes: readonly string[];
}

/** What a client should do, before it is recorded as an `invoke`. */
export interface OpRequest {
  process: Process;
  /** Not before this time (ns since the start); rate and stagger set it. */
  timeNs: number;
  f: string;
  value: unknown;
  key?: string;
  /** Talk to this node rather than the process's own (e.g. final reads of every node). */
  node?: string;
}

/** The part of a request a workload decides; the generator adds process and time. */
export type OpBody = Omit<OpRequest, "process" | "timeNs">;

export type Step = { kind: "op"; op: OpRequest; gen: Generator } | { kind: "pending"; gen: Generator } | { kind: "done" };

export interface Generator {
  op(ctx: GenContext): Step;
  /** Called with every completion (ok, fail, info) of a client op; returns the next generator. */
  update(ctx: GenContext, event: Op): Generator;
}

export const PENDING = (gen: Generator): Step => ({ kind: "pending", gen });
export const DONE: Step = { kind: "done" };

/** What a stateful op source decides from its state, its random source and the process it will run on. */
export type OpFn<S> = (state: S, rng: RngState, process: Process, ctx: GenContext) => [OpBody, S, RngState];
export type UpdateFn<S> = (state: S, event: Op) => S;

/**
 * An endless source of ops, each built by `next` from a state threaded through
 * the run (counters, who holds which lock). It hands its op to the first idle
 * process, and is pending when every process is busy.
 */
export function source<S>(init: S, seed: number, next: OpFn<S>, onEvent?: UpdateFn<S>): Generator {
  return new Source(init, seedRng(seed), next, onEvent);
}

class Source<S> implements Generator {
  constructor(
    private readonly state: S,
    private readonly rng: RngState,
    private readonly next: OpFn<S>,
    private readonly onEvent: UpdateFn<S> | undefined,
  ) {}

  op(ctx: GenContext): Step {
    const process = ctx.free[0];
    if (process === undefined) return PENDING(this);
    const [body, state, rng] = this.next(this.state, this.rng, process, ctx);
    return { kind: "op", op: { ...body, process, timeNs: ctx.timeNs }, gen: new Source(state, rng, this.next, this.onEvent) };
  }

  update(_ctx: GenContext, event: Op): Generator {
    if (!this.onEvent) return this;
    return new Source(this.onEvent(this.state, event), this.rng, this.next, this.onEvent);
  }
}

/** Exactly these ops, in order, each on the next idle process. */
export function list(bodies: readonly OpBody[]): Generator {
  return new List(bodies, 0);
}

class List implements Generator {
  constructor(
    private readonly bodies: readonly OpBody[],
    private readonly at: number,
  ) {}

  op(ctx: GenContext): Step {
    const body = this.bodies[this.at];
    if (body === undefined) return DONE;
    const process = ctx.free[0];
    if (process === undefined) return PENDING(this);
    return { kind: "op", op: { ...body, process, timeNs: ctx.timeNs }, gen: new List(this.bodies, this.at + 1) };
  }

  update(): Generator {
    return this;
  }
}

/** One op per node, each aimed at that node (final reads of every node's state). */
export function eachNode(body: (node: string) => OpBody, nodes: readonly string[]): Generator {
  return list(nodes.map((node) => ({ ...body(node), node })));
}

/**
 * A generator built when first asked, e.g. final reads of the keys the run
 * actually touched: the controller passes a thunk that reads the history so far.
 */
export function defer(build: () => Generator): Generator {
  return {
    op(ctx: GenContext): Step {
      return build().op(ctx);
    },
    update(): Generator {
      return this;
    },
  };
}
