import { createServer, connect, type Server, type Socket } from "node:net";
import type { Message, NodeId } from "../core/types.js";
import { encodeFrame, FrameReader } from "./frames.js";
import { decodeMessage, encodeMessage } from "./peer-codec.js";
import type { Logger } from "./log.js";

/**
 * Peer transport over TCP: one outbound connection per peer for what this
 * node sends, and whatever inbound connections peers open for what it
 * receives. Raft tolerates lost messages, so when a peer is slow or away,
 * messages are dropped rather than queued without bound.
 */

export interface TransportOptions {
  id: NodeId;
  listenHost: string;
  listenPort: number;
  /** peer id → "host:port" to dial (a fault-injecting proxy may sit there). */
  dial: Record<NodeId, string>;
  onMessage: (m: Message) => void;
  log: Logger;
}

/** Messages kept for a peer while its connection is down. */
const QUEUE_MESSAGES_MAX = 1024;
/** Bytes buffered in a connected socket before new messages are dropped. */
const SOCKET_BUFFER_BYTES_MAX = 16 * 1024 * 1024;
const BACKOFF_MS_MIN = 20;
const BACKOFF_MS_MAX = 1000;
/**
 * A dial that neither connects nor fails within this is abandoned and retried:
 * SYNs dropped by a partition are otherwise retried by the kernel for minutes.
 */
export const CONNECT_TIMEOUT_MS = 1000;
/**
 * A connection whose writes go unacknowledged for this long is closed and
 * redialed: after a drop-partition heals, TCP's own retransmission backoff can
 * wait tens of seconds before the old connection moves again, while a fresh one
 * works at once. The receiving side acknowledges with one byte on the same
 * connection, at most every ACK_INTERVAL_MS, since the kernel's own state (unacked
 * bytes) is out of Node's reach and TCP_USER_TIMEOUT is not exposed.
 */
export const WRITE_STALL_MS = 2000;
const ACK_INTERVAL_MS = 100;
const ACK_BYTE = Buffer.from([0x06]);
/** Keepalive probes start after this much silence, so a dead idle peer is noticed too. */
const KEEPALIVE_DELAY_MS = 1000;
const WATCHDOG_INTERVAL_MS = 250;

export class Transport {
  private readonly server: Server;
  private readonly peers = new Map<NodeId, PeerLink>();
  private readonly inbound = new Set<Socket>();

  constructor(private readonly opts: TransportOptions) {
    this.server = createServer((socket) => this.accept(socket));
    for (const [peer, addr] of Object.entries(opts.dial)) {
      this.peers.set(peer, new PeerLink(peer, addr, opts.log));
    }
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.opts.listenPort, this.opts.listenHost, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    for (const link of this.peers.values()) link.connect();
  }

  /** A member added at run time: dialed from now on (a known peer keeps its link). */
  addPeer(peer: NodeId, addr: string): void {
    if (this.peers.has(peer)) return;
    const link = new PeerLink(peer, addr, this.opts.log);
    this.peers.set(peer, link);
    if (this.server.listening) link.connect();
  }

  /**
   * Never throws: it runs inside the Ready loop, and a message that cannot be
   * sent (an unknown peer, a frame over the limit) is dropped like a lost one.
   */
  send(m: Message): void {
    const link = this.peers.get(m.to);
    if (!link) {
      this.opts.log("warn", `dropped a ${m.type} message for ${m.to}: no address for that peer`);
      return;
    }
    let frame: Buffer[];
    try {
      frame = encodeFrame(encodeMessage(m));
    } catch (err) {
      this.opts.log("warn", `dropped a ${m.type} message for ${m.to}: ${(err as Error).message}`);
      return;
    }
    link.send(frame);
  }

  /** Puts what `send` buffered on the wire now, before the caller blocks (on an fsync). */
  flush(): void {
    for (const link of this.peers.values()) link.flush();
  }

  close(): void {
    for (const link of this.peers.values()) link.close();
    for (const s of this.inbound) s.destroy();
    this.server.close();
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, KEEPALIVE_DELAY_MS);
    this.inbound.add(socket);
    const reader = new FrameReader();
    let ackDue = false;
    socket.on("data", (chunk: Buffer) => {
      if (!ackDue) {
        ackDue = true;
        setTimeout(() => {
          ackDue = false;
          if (!socket.destroyed) socket.write(ACK_BYTE);
        }, ACK_INTERVAL_MS).unref();
      }
      let frames: Buffer[];
      try {
        frames = reader.push(chunk);
      } catch (err) {
        this.opts.log("warn", `peer connection from ${socket.remoteAddress}:${socket.remotePort}: ${(err as Error).message}`);
        socket.destroy();
        return;
      }
      for (const f of frames) {
        let m: Message;
        try {
          m = decodeMessage(f);
        } catch (err) {
          this.opts.log("warn", `peer sent a frame that is not a message (${(err as Error).message}); closing the connection`);
          socket.destroy();
          return;
        }
        if (m.to !== this.opts.id) continue; // misrouted (e.g. a proxy wired wrong): ignore
        this.opts.onMessage(m);
      }
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => this.inbound.delete(socket));
  }
}

/**
 * The outbound side to one peer: connects with a timeout, reconnects with capped
 * exponential backoff, and redials a connection whose writes stall.
 */
export class PeerLink {
  private socket: Socket | null = null;
  private connected = false;
  private closed = false;
  private backoffMs = BACKOFF_MS_MIN;
  private retryTimer: NodeJS.Timeout | null = null;
  private connectTimer: NodeJS.Timeout | null = null;
  private readonly watchdog: NodeJS.Timeout;
  /** Frames (each a list of parts) waiting for the connection. */
  private readonly queue: Buffer[][] = [];
  private corked = false;
  private droppedSinceLog = 0;
  /** When the oldest write the peer has not acknowledged yet was made; null when all are. */
  private unackedSinceMs: number | null = null;

  constructor(
    private readonly peer: NodeId,
    private readonly addr: string,
    private readonly log: Logger,
    private readonly timing = { connectTimeoutMs: CONNECT_TIMEOUT_MS, writeStallMs: WRITE_STALL_MS },
  ) {
    this.watchdog = setInterval(() => this.checkProgress(Date.now()), WATCHDOG_INTERVAL_MS);
    this.watchdog.unref();
  }

  get isConnected(): boolean {
    return this.connected;
  }

  connect(): void {
    if (this.closed) return;
    const [host, portText] = splitHostPort(this.addr);
    const socket = connect({ host, port: Number(portText) });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, KEEPALIVE_DELAY_MS);
    this.connectTimer = setTimeout(() => {
      this.log("info", `dial to peer ${this.peer} at ${this.addr} timed out after ${this.timing.connectTimeoutMs} ms; retrying`);
      socket.destroy();
    }, this.timing.connectTimeoutMs);
    socket.on("connect", () => {
      this.clearConnectTimer();
      this.connected = true;
      this.backoffMs = BACKOFF_MS_MIN;
      this.unackedSinceMs = null;
      this.log("info", `connected to peer ${this.peer} at ${this.addr}`);
      // Queued messages are likely stale, but Raft handles stale ones; send them in order.
      for (const frame of this.queue.splice(0)) for (const part of frame) socket.write(part);
    });
    // The receiving side writes acknowledgements: everything sent so far arrived.
    socket.on("data", () => {
      this.unackedSinceMs = null;
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      this.clearConnectTimer();
      if (this.connected) this.log("info", `lost connection to peer ${this.peer}`);
      this.connected = false;
      this.corked = false;
      if (this.socket === socket) this.socket = null;
      this.scheduleReconnect();
    });
  }

  send(frame: Buffer[]): void {
    const socket = this.socket;
    if (!socket || !this.connected) {
      if (this.queue.length >= QUEUE_MESSAGES_MAX) this.queue.shift();
      this.queue.push(frame);
      return;
    }
    if (socket.writableLength > SOCKET_BUFFER_BYTES_MAX) {
      this.noteDrop();
      return;
    }
    // Cork so that the messages of one batch go out in one write; `flush` (or the
    // next tick, for callers that never flush) uncorks.
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(() => this.flush());
    }
    for (const part of frame) socket.write(part);
    this.unackedSinceMs ??= Date.now();
  }

  flush(): void {
    if (!this.corked) return;
    this.corked = false;
    this.socket?.uncork();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.watchdog);
    this.clearConnectTimer();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.destroy();
  }

  /** Closes a connection whose writes have gone unacknowledged for the stall limit, to redial. */
  checkProgress(nowMs: number): void {
    const socket = this.socket;
    if (!socket || !this.connected || this.unackedSinceMs === null) return;
    const waitedMs = nowMs - this.unackedSinceMs;
    if (waitedMs < this.timing.writeStallMs) return;
    this.log("warn", `peer ${this.peer}: writes unacknowledged for ${waitedMs} ms; redialing`);
    socket.destroy();
  }

  private clearConnectTimer(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    const delayMs = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MS_MAX);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delayMs);
  }

  private noteDrop(): void {
    this.droppedSinceLog++;
    if (this.droppedSinceLog === 1 || this.droppedSinceLog % 1000 === 0) {
      this.log("warn", `peer ${this.peer} is slow: dropped ${this.droppedSinceLog} messages`);
    }
  }
}

export function splitHostPort(addr: string): [string, string] {
  const at = addr.lastIndexOf(":");
  if (at <= 0) throw new Error(`address ${JSON.stringify(addr)} is not host:port`);
  return [addr.slice(0, at), addr.slice(at + 1)];
}
