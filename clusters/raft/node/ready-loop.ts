import type { Raft } from "../core/raft.js";
import type { Message, Ready } from "../core/types.js";

/**
 * The one Ready loop, shared by the node process (./replica.ts), the simulator
 * that runs that node (../sim/simulation.ts) and the scripted core tests
 * (../sim/harness.ts). The order is etcd's and it is what makes Raft safe:
 *
 *   1. apply what is committed (durable on a majority already, so its clients
 *      are answered before this node's own write);
 *   2. send the leader's appends and heartbeats, which promise nothing about
 *      this disk, so a follower's write overlaps ours;
 *   3. persist snapshot, entries and hard state;
 *   4. only then send votes and append answers, which promise what is on disk;
 *   5. advance the core.
 *
 * I/O goes through the handler, so each user brings its own disk and network.
 */

export interface ReadyHandler {
  /** Step 1: role changes, an installed snapshot restored into the state machine, committed entries, read states. */
  apply(rd: Ready): void;
  send(m: Message): void;
  /** Puts what `send` queued on the wire now, before the write blocks the thread. */
  flush(): void;
  /**
   * Step 3: makes the Ready's snapshot, entries and hard state durable, in that
   * order. Returns undefined when it finished synchronously (the in-memory disk of
   * the scripted tests), so those tests stay synchronous, as etcd's are.
   */
  persist(rd: Ready): Promise<void> | undefined;
  /** After the write, before the Ready's messages: what a durable write allows (a planted bug's early ack). */
  persisted(rd: Ready): void;
}

/** Handles one Ready taken from `raft`; a promise while its write is under way. */
export function handleReady(raft: Raft, rd: Ready, h: ReadyHandler): Promise<void> | undefined {
  h.apply(rd);
  for (const m of rd.earlyMessages) h.send(m);
  h.flush();
  const finish = (): void => {
    for (const m of rd.messages) h.send(m);
    h.persisted(rd);
    raft.advance(rd);
  };
  const writing = h.persist(rd);
  if (writing !== undefined) return writing.then(finish);
  finish();
  return undefined;
}

/** Handles every Ready until the core has none, with a handler whose writes are synchronous. */
export function drainSync(raft: Raft, h: ReadyHandler, readiesMax: number): void {
  for (let n = 0; raft.hasReady(); n++) {
    if (n >= readiesMax) throw new Error(`the core produced over ${readiesMax} Readys without going quiet`);
    if (handleReady(raft, raft.ready(), h) !== undefined) throw new Error("drainSync: the handler's write was asynchronous");
  }
}

export interface ReadyLoopOptions {
  /** Runs `fn` soon, on a later turn: the node's setImmediate, the simulator's run queue. */
  soon(fn: () => void): void;
  /** Between two Readys, when nothing is being written: snapshot and compaction. */
  between(): void;
  /** A write failed, so what is durable is unknown: the node exits; the simulator crashes it. */
  fatal(err: unknown): void;
  /** Readys handled per turn, so timers and requests get their turn. */
  readiesPerTurn: number;
}

/**
 * Runs `handleReady` whenever the core has work, one Ready at a time: whatever
 * arrives while a Ready is written lands in the next one (group commit).
 */
export class ReadyLoop {
  private scheduled = false;
  private running = false;
  /** Set after a fatal error: the loop never writes again. */
  private stopped = false;

  constructor(
    private readonly raft: Raft,
    private readonly handler: ReadyHandler,
    private readonly opts: ReadyLoopOptions,
  ) {}

  /** Asks for a turn of the loop; many kicks before it runs make one turn. */
  kick(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    this.opts.soon(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  /** Stops the loop for good: a Ready being written finishes, nothing after it starts. */
  stop(): void {
    this.stopped = true;
  }

  private async drain(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      for (let n = 0; n < this.opts.readiesPerTurn && !this.stopped; n++) {
        this.opts.between();
        if (!this.raft.hasReady()) break;
        await handleReady(this.raft, this.raft.ready(), this.handler);
      }
    } catch (err) {
      // A failed write or sync leaves us unsure what is durable: stop rather than lie.
      this.stopped = true;
      this.opts.fatal(err);
    }
    this.running = false;
    if (this.raft.hasReady()) this.kick();
  }
}
