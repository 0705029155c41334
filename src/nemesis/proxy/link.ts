/**
 * One directed link A→B of the mesh: a listener that node A dials as "B", and
 * that forwards to B's real peer port. Its fault state says whether A's bytes
 * to B are dropped and how late they arrive; B's replies on the same
 * connection are cut by the reverse link's state (B→A).
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import { pipe } from "./pipe.js";

export interface LinkState {
  /** A's messages to B are lost. */
  forwardDrop: boolean;
  /** Replies from B to A on this connection are lost. */
  backwardDrop: boolean;
  delayMs: number;
}

export const PASS: LinkState = { forwardDrop: false, backwardDrop: false, delayMs: 0 };

/** Connections kept per link; a node that redials a blackhole in a loop cannot pile them up. */
const CONNECTIONS_MAX = 32;

export class ProxyLink {
  private readonly server: Server;
  private readonly conns = new Set<Socket>();
  private state: LinkState = PASS;
  port = 0;

  constructor(
    readonly from: string,
    readonly to: string,
    /** B's real peer address now; null while unknown (the connection is refused). */
    private readonly target: () => string | null,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => {
        this.server.off("error", reject);
        this.port = (this.server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  /** Applies a new state; connections made under the old one are closed, and the nodes redial. */
  set(state: LinkState): void {
    const same =
      state.forwardDrop === this.state.forwardDrop &&
      state.backwardDrop === this.state.backwardDrop &&
      state.delayMs === this.state.delayMs;
    if (same) return;
    this.state = state;
    for (const c of this.conns) c.destroy();
    this.conns.clear();
  }

  close(): Promise<void> {
    for (const c of this.conns) c.destroy();
    this.conns.clear();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(inbound: Socket): void {
    const addr = this.target();
    if (!addr) {
      inbound.destroy();
      return;
    }
    if (this.conns.size >= CONNECTIONS_MAX * 2) {
      const oldest = this.conns.values().next().value as Socket;
      oldest.destroy();
      this.conns.delete(oldest);
    }
    const [host, port] = splitAddr(addr);
    const outbound = connect({ host, port });
    inbound.setNoDelay(true);
    outbound.setNoDelay(true);
    for (const s of [inbound, outbound]) {
      this.conns.add(s);
      s.on("error", () => {});
      s.on("close", () => {
        this.conns.delete(s);
        inbound.destroy();
        outbound.destroy();
      });
    }
    const { forwardDrop, backwardDrop, delayMs } = this.state;
    pipe(inbound, outbound, { drop: forwardDrop, delayMs });
    pipe(outbound, inbound, { drop: backwardDrop, delayMs });
  }
}

function splitAddr(addr: string): [string, number] {
  const at = addr.lastIndexOf(":");
  return [addr.slice(0, at), Number(addr.slice(at + 1))];
}
