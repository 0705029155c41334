import { Raft } from "../core/raft.js";
import { seededRng } from "../../../src/rng.js";
import type { Entry, Message, NodeId, RaftConfig, ReadFailure, ReadState, Ready, RestoredState, Snapshot } from "../core/types.js";
import { drainSync, type ReadyHandler } from "../node/ready-loop.js";
import { Disk } from "./disk.js";

/** Rounds of "persist, send, deliver" before `deliverUntilQuiet` gives up: a livelock in a test is a bug. */
const DELIVERY_ROUNDS_MAX = 10_000;
/** Readys one node may produce in one flush without going quiet. */
const READIES_PER_FLUSH_MAX = 10_000;

export type ConfigOverrides = Partial<Omit<RaftConfig, "id" | "peers" | "rng">>;

/**
 * An in-test network in the style of etcd-io/raft's raft_test.go: messages move
 * only when the test says so, links can be cut or made lossy, and a node can be
 * restarted from what it persisted. Every node's Ready goes through the node's
 * own Ready loop (../node/ready-loop.ts), over an in-memory disk.
 */
export class TestNetwork {
  readonly ids: NodeId[];
  /** The voters at index 0. */
  private readonly initialIds: NodeId[];
  private readonly rafts = new Map<NodeId, Raft>();
  private readonly disks = new Map<NodeId, Disk>();
  private readonly cutLinks = new Set<string>();
  private readonly dropRates = new Map<string, number>();
  private readonly rng: () => number;
  private readonly config: ConfigOverrides;
  /** Nodes started by `join`: their initial configuration is empty. */
  private readonly joiners = new Set<NodeId>();
  /** A test's own filter: returns the message to deliver (possibly altered), or null to drop it. */
  intercept: ((m: Message) => Message | null) | null = null;
  /** Messages sent but not delivered yet. */
  queue: Message[] = [];
  /** Every message that crossed the network, for assertions on traffic. */
  readonly delivered: Message[] = [];
  readonly applied = new Map<NodeId, Entry[]>();
  /** Snapshots each node installed from its leader, in order. */
  readonly installed = new Map<NodeId, Snapshot[]>();
  readonly readStates = new Map<NodeId, ReadState[]>();
  readonly readFailures = new Map<NodeId, ReadFailure[]>();

  /** `restored` gives nodes a starting log and hard state, as if they had run before. */
  constructor(ids: NodeId[], config: ConfigOverrides = {}, restored: Record<NodeId, RestoredState> = {}) {
    this.ids = [...ids];
    this.initialIds = [...ids];
    this.config = config;
    this.rng = seededRng(ids.length);
    for (const id of ids) {
      const disk = new Disk();
      const state = restored[id];
      if (state !== undefined) disk.persist(readyOf(state));
      this.disks.set(id, disk);
      this.start(id);
    }
  }

  raft(id: NodeId): Raft {
    const r = this.rafts.get(id);
    if (r === undefined) throw new Error(`no node ${id}`);
    return r;
  }

  private disk(id: NodeId): Disk {
    const d = this.disks.get(id);
    if (d === undefined) throw new Error(`no node ${id}`);
    return d;
  }

  /** Starts an empty node that knows no configuration, as one joining a running cluster does; a leader then adds it. */
  join(id: NodeId): void {
    if (this.ids.includes(id)) throw new Error(`node ${id} exists`);
    this.ids.push(id);
    this.joiners.add(id);
    this.disks.set(id, new Disk());
    this.start(id);
  }

  /** A new, empty node under an existing id (one removed, wiped and about to be added back): no log, no configuration. */
  wipe(id: NodeId): void {
    this.queue = this.queue.filter((m) => m.to !== id);
    this.joiners.add(id);
    this.disks.set(id, new Disk());
    this.start(id);
  }

  /** Crash and restart from disk: memory (unpersisted entries, applied state) is lost. */
  restart(id: NodeId): void {
    this.queue = this.queue.filter((m) => m.to !== id);
    this.start(id);
  }

  cut(a: NodeId, b: NodeId): void {
    this.cutLinks.add(`${a}>${b}`);
    this.cutLinks.add(`${b}>${a}`);
  }

  isolate(a: NodeId): void {
    for (const b of this.ids) if (b !== a) this.cut(a, b);
  }

  /** Drops messages from `from` to `to` with probability `rate`. */
  drop(from: NodeId, to: NodeId, rate: number): void {
    this.dropRates.set(`${from}>${to}`, rate);
  }

  recover(): void {
    this.cutLinks.clear();
    this.dropRates.clear();
  }

  tick(id: NodeId, times = 1): void {
    for (let i = 0; i < times; i++) this.raft(id).tick();
  }

  /** Ticks `id` alone until it starts an election, then lets the cluster settle. */
  campaign(id: NodeId): void {
    const r = this.raft(id);
    const limit = 2 * (this.config.electionTicks ?? 10) + 1;
    for (let i = 0; i < limit && r.status().role === "follower"; i++) r.tick();
    this.deliverUntilQuiet();
  }

  /** Persists and sends every node's Ready, then delivers everything in flight, until nothing moves. */
  deliverUntilQuiet(): void {
    for (let round = 0; round < DELIVERY_ROUNDS_MAX; round++) {
      this.flushReadies();
      if (this.queue.length === 0) return;
      const batch = this.queue;
      this.queue = [];
      for (const m of batch) this.deliver(m);
    }
    throw new Error(`network did not go quiet in ${DELIVERY_ROUNDS_MAX} rounds`);
  }

  /** Persists and applies every pending Ready, queueing (not delivering) its messages. */
  flushReadies(): void {
    for (const id of this.ids) drainSync(this.raft(id), this.handler(id), READIES_PER_FLUSH_MAX);
  }

  /** Records what each Ready applies, queues its messages, writes it to the node's disk. */
  private handler(id: NodeId): ReadyHandler {
    return {
      apply: (rd) => {
        if (rd.snapshot !== null) this.installed.get(id)?.push(rd.snapshot);
        this.applied.get(id)?.push(...rd.committed);
        this.readStates.get(id)?.push(...rd.readStates);
        this.readFailures.get(id)?.push(...rd.readFailures);
      },
      send: (m) => this.queue.push(m),
      flush: () => {},
      persist: (rd) => void this.disk(id).persist(rd),
      persisted: () => {},
    };
  }

  /** Delivers one message through the link filters. */
  deliver(sent: Message): void {
    const link = `${sent.from}>${sent.to}`;
    if (this.cutLinks.has(link)) return;
    const rate = this.dropRates.get(link) ?? 0;
    if (rate > 0 && this.rng() < rate) return;
    const m = this.intercept === null ? sent : this.intercept(sent);
    if (m === null) return;
    this.delivered.push(m);
    this.raft(m.to).step(m);
  }

  leaders(): NodeId[] {
    return this.ids.filter((id) => this.raft(id).status().role === "leader");
  }

  private start(id: NodeId): void {
    const raft = new Raft(
      {
        id,
        peers: this.joiners.has(id) ? [] : this.initialIds,
        electionTicks: 10,
        heartbeatTicks: 1,
        preVote: true,
        checkQuorum: true,
        maxInflightMsgs: 256,
        maxEntriesPerMsg: 64,
        ...this.config,
        rng: seededRng(this.ids.indexOf(id) + 1),
      },
      this.disk(id).restore(),
    );
    this.rafts.set(id, raft);
    this.applied.set(id, []);
    this.installed.set(id, []);
    this.readStates.set(id, []);
    this.readFailures.set(id, []);
  }
}

/** A Ready that writes a whole restored state, to seed a disk. */
function readyOf(state: RestoredState): Ready {
  return {
    hardState: state.hardState,
    snapshot: state.snapshot ?? null,
    entries: state.entries,
    messages: [],
    earlyMessages: [],
    committed: [],
    readStates: [],
    readFailures: [],
    softState: null,
  };
}
