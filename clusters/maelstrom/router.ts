/**
 * The network of a Maelstrom run: every message between nodes, clients and
 * services passes through here. It applies the faults (directed links cut by a
 * partition or one-way loss, extra delay on links) and the run's latency, and
 * counts what it carried: by kind of link, per second, and the messages it had
 * to refuse (a bad line, an unknown destination). It is the nemesis' network
 * backend for this kind of cluster.
 */
import type { Link, Network } from "../../src/nemesis/network.js";
import type { Latency } from "./latency.js";
import type { Message } from "../api/maelstrom-protocol.js";

export type EndpointKind = "node" | "client" | "service";

export interface Endpoint {
  kind: EndpointKind;
  /** Hands a message over; `line` is its JSON text, forwarded as it came. */
  deliver(message: Message, line: string): void;
}

/** Which link a message used: between nodes (the figure of merit), to or from a client, to or from a service. */
export type Traffic = "servers" | "clients" | "services";

// A type, not an interface: it is read as a plain record of counts too.
export type MessageCounts = {
  servers: number;
  clients: number;
  services: number;
  /** Node-to-node messages lost to a cut link. */
  dropped: number;
  /** Messages to a node that was down (killed or crashed). */
  undeliverable: number;
  bad: number;
};

export interface BadMessage {
  node: string;
  reason: string;
  line: string;
  atMs: number;
}

const BAD_SAMPLES_MAX = 20;
const SERIES_SECONDS_MAX = 24 * 3600;

function zeroCounts(): MessageCounts {
  return { servers: 0, clients: 0, services: 0, dropped: 0, undeliverable: 0, bad: 0 };
}

export class Router implements Network {
  readonly kind = "router" as const;
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly cutLinks = new Set<string>();
  private readonly slowLinks = new Map<string, number>();
  private readonly totals = zeroCounts();
  /** Counts per second since the router opened; index = second. */
  private readonly series: MessageCounts[] = [];
  private readonly badSamples: BadMessage[] = [];
  private startMs = performance.now();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly latency: Latency,
    /** Told about every refused message, for the node's log. */
    private readonly onBad: (bad: BadMessage) => void = () => {},
  ) {}

  attach(id: string, endpoint: Endpoint): void {
    if (this.endpoints.has(id)) throw new Error(`router: ${id} is attached already`);
    this.endpoints.set(id, endpoint);
  }

  /** Routes a message an endpoint sent. `from` is who really sent it (its src must match). */
  send(from: string, message: Message, line: string): void {
    if (this.closed) return;
    const src = this.endpoints.get(from);
    if (!src) throw new Error(`router: unknown sender ${from}`);
    if (message.src !== from) return this.refuse(from, `src is ${JSON.stringify(message.src)}, but ${from} sent it`, line);
    const dest = this.endpoints.get(message.dest);
    if (!dest) return this.refuse(from, `dest ${JSON.stringify(message.dest)} is no node, client or service`, line);
    const traffic: Traffic =
      src.kind === "node" && dest.kind === "node" ? "servers" : src.kind === "client" || dest.kind === "client" ? "clients" : "services";
    this.count(traffic);
    const key = linkKey(from, message.dest);
    if (traffic === "servers" && this.cutLinks.has(key)) return this.count("dropped");
    const delayMs = this.latency.drawMs() + (this.slowLinks.get(key) ?? 0);
    if (delayMs <= 0) return dest.deliver(message, line);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) dest.deliver(message, line);
    }, delayMs);
    this.timers.add(timer);
  }

  /** A line from a node that is not a message: counted, kept as a sample, never routed. */
  refuse(node: string, reason: string, line: string): void {
    this.count("bad");
    const bad = { node, reason, line, atMs: Math.round(performance.now() - this.startMs) };
    if (this.badSamples.length < BAD_SAMPLES_MAX) this.badSamples.push(bad);
    this.onBad(bad);
  }

  /** A message that reached a node no longer running. */
  undeliverable(): void {
    this.count("undeliverable");
  }

  async cut(links: readonly Link[]): Promise<void> {
    this.cutLinks.clear();
    for (const [a, b] of links) this.cutLinks.add(linkKey(a, b));
  }

  async delay(links: readonly Link[], delayMs: number): Promise<void> {
    this.slowLinks.clear();
    for (const [a, b] of links) this.slowLinks.set(linkKey(a, b), delayMs);
  }

  async heal(): Promise<void> {
    this.cutLinks.clear();
    this.slowLinks.clear();
  }

  /** Messages in flight are dropped; nothing is delivered after this. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Starts the per-second series again from now (the run's clock starting after the nodes did). */
  restartSeries(): void {
    this.startMs = performance.now();
    this.series.length = 0;
  }

  counts(): MessageCounts {
    return { ...this.totals };
  }

  /** Per-second counts from the series' start (each entry one second). */
  perSecond(): MessageCounts[] {
    return this.series.map((c) => ({ ...c }));
  }

  badMessages(): BadMessage[] {
    return [...this.badSamples];
  }

  /** Links cut right now, as "a->b". */
  cutNow(): string[] {
    return [...this.cutLinks].map((k) => k.replace("\u0000", "->"));
  }

  private count(what: keyof MessageCounts): void {
    this.totals[what]++;
    const second = Math.min(Math.floor((performance.now() - this.startMs) / 1000), SERIES_SECONDS_MAX);
    for (let s = this.series.length; s <= second; s++) this.series.push(zeroCounts());
    (this.series[second] as MessageCounts)[what]++;
  }
}

function linkKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}
