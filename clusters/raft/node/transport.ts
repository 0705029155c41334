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

  send(m: Message): void {
    const link = this.peers.get(m.to);
    if (!link) throw new Error(`transport: no address for peer ${m.to}`);
    link.send(encodeFrame(encodeMessage(m)));
  }

  close(): void {
    for (const link of this.peers.values()) link.close();
    for (const s of this.inbound) s.destroy();
    this.server.close();
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    this.inbound.add(socket);
    const reader = new FrameReader();
    socket.on("data", (chunk: Buffer) => {
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

/** The outbound side to one peer: connects, reconnects with capped exponential backoff. */
class PeerLink {
  private socket: Socket | null = null;
  private connected = false;
  private closed = false;
  private backoffMs = BACKOFF_MS_MIN;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Frames (each a list of parts) waiting for the connection. */
  private readonly queue: Buffer[][] = [];
  private corked = false;
  private droppedSinceLog = 0;

  constructor(
    private readonly peer: NodeId,
    private readonly addr: string,
    private readonly log: Logger,
  ) {}

  connect(): void {
    if (this.closed) return;
    const [host, portText] = splitHostPort(this.addr);
    const socket = connect({ host, port: Number(portText) });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on("connect", () => {
      this.connected = true;
      this.backoffMs = BACKOFF_MS_MIN;
      this.log("info", `connected to peer ${this.peer} at ${this.addr}`);
      // Queued messages are likely stale, but Raft handles stale ones; send them in order.
      for (const frame of this.queue.splice(0)) for (const part of frame) socket.write(part);
    });
    // The inbound side never writes to us; drain anything a proxy might send.
    socket.on("data", () => {});
    socket.on("error", () => {});
    socket.on("close", () => {
      if (this.connected) this.log("info", `lost connection to peer ${this.peer}`);
      this.connected = false;
      this.socket = null;
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
    // Cork so that the messages of one batch go out in one write.
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    for (const part of frame) socket.write(part);
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.destroy();
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
