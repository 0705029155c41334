import { createServer, connect, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Message } from "../core/types.js";
import { freePorts } from "./launch.js";
import { PeerLink, Transport } from "./transport.js";

const quiet = () => {};
const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const t of open.splice(0)) t.close();
});

/**
 * A TCP relay that can freeze the connections it carries, the way a dropping
 * partition freezes a real one: bytes stop moving but nothing closes, and after
 * the heal TCP's retransmission backoff keeps the old connection still for
 * many seconds. Here the frozen ones never move again; only new ones work.
 */
class FreezingRelay {
  private frozen = false;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly freezers: Array<() => void> = [];

  constructor(private readonly targetPort: number) {
    this.server = createServer((src) => {
      const dst = connect({ host: "127.0.0.1", port: this.targetPort });
      for (const s of [src, dst]) {
        this.sockets.add(s);
        s.on("error", () => {});
      }
      if (this.frozen) return; // accepted, but nothing moves
      src.pipe(dst);
      dst.pipe(src);
      this.freezers.push(() => {
        src.unpipe(dst);
        dst.unpipe(src);
        src.on("data", () => {});
        dst.on("data", () => {});
      });
    });
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve) => this.server.listen(port, "127.0.0.1", resolve));
  }

  partition(): void {
    this.frozen = true;
    for (const f of this.freezers.splice(0)) f();
  }

  heal(): void {
    this.frozen = false;
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }
}

function heartbeat(from: string, to: string, term: number): Message {
  return { type: "heartbeat", from, to, term, commit: 0, readRound: 0 };
}

async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("peer transport", () => {
  it("delivers in order, and reconnects after the peer restarts", async () => {
    const [pa, pb] = await freePorts(2);
    const gotB: number[] = [];
    const mk = (id: string, port: number, peer: string, peerPort: number, onMessage: (m: Message) => void) => {
      const t = new Transport({
        id,
        listenHost: "127.0.0.1",
        listenPort: port,
        dial: { [peer]: `127.0.0.1:${peerPort}` },
        onMessage,
        log: quiet,
      });
      open.push(t);
      return t;
    };
    const a = mk("a", pa!, "b", pb!, quiet);
    await a.start();
    // b is not up yet: messages wait in the bounded queue and go out once connected.
    a.send(heartbeat("a", "b", 1));
    let b = mk("b", pb!, "a", pa!, (m) => gotB.push(m.term));
    await b.start();
    for (let term = 2; term <= 100; term++) a.send(heartbeat("a", "b", term));
    await until(() => gotB.length === 100);
    expect(gotB).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));

    b.close();
    await new Promise((r) => setTimeout(r, 50));
    gotB.length = 0;
    b = mk("b", pb!, "a", pa!, (m) => gotB.push(m.term));
    await b.start();
    // Messages sent into the dying connection may be lost (Raft tolerates it); later ones arrive.
    await until(() => {
      a.send(heartbeat("a", "b", 7));
      return gotB.includes(7);
    });
  });

  it("talks again soon after a partition that froze its connection heals", async () => {
    const [pa, pb, pRelay] = await freePorts(3);
    const relay = new FreezingRelay(pb!);
    open.push(relay);
    await relay.listen(pRelay!);
    const got: number[] = [];
    const a = new Transport({
      id: "a",
      listenHost: "127.0.0.1",
      listenPort: pa!,
      dial: { b: `127.0.0.1:${pRelay}` },
      onMessage: quiet,
      log: quiet,
    });
    const b = new Transport({
      id: "b",
      listenHost: "127.0.0.1",
      listenPort: pb!,
      dial: { a: `127.0.0.1:${pa}` },
      onMessage: (m) => got.push(m.term),
      log: quiet,
    });
    open.push(a, b);
    await a.start();
    await b.start();
    let term = 0;
    // Like a leader's heartbeats: a message every 20 ms whatever happens.
    const beat = setInterval(() => a.send(heartbeat("a", "b", ++term)), 20);
    open.push({ close: () => clearInterval(beat) });
    await until(() => got.length > 0);
    relay.partition();
    await new Promise((r) => setTimeout(r, 1500));
    relay.heal();
    const healedAt = term;
    const t0 = Date.now();
    await until(() => got.some((t) => t > healedAt), 8000);
    // The stall limit (2 s) plus a redial: far from the tens of seconds TCP's backoff takes.
    expect(Date.now() - t0).toBeLessThan(6000);
  }, 20_000);

  it("drops a message over the frame limit instead of throwing in the Ready loop", async () => {
    const notes: string[] = [];
    const [pa] = await freePorts(1);
    const a = new Transport({
      id: "a",
      listenHost: "127.0.0.1",
      listenPort: pa!,
      dial: { b: "127.0.0.1:9" },
      onMessage: quiet,
      log: (_l, m) => notes.push(m),
    });
    open.push(a);
    const huge = "z".repeat(1024 * 1024);
    const entries = Array.from({ length: 70 }, (_, i) => ({ index: i + 1, term: 1, type: "normal" as const, data: huge }));
    expect(() => a.send({ type: "append", from: "a", to: "b", term: 1, prevIndex: 0, prevTerm: 0, entries, commit: 0 })).not.toThrow();
    expect(() => a.send(heartbeat("a", "nobody", 1))).not.toThrow();
    expect(notes.join("\n")).toMatch(/dropped a append message for b: frame of \d+ bytes exceeds/);
    expect(notes.join("\n")).toContain("no address for that peer");
  });

  it("flush puts buffered messages on the wire at once (before a blocking fsync)", async () => {
    const [pa, pb] = await freePorts(2);
    const server = createServer((s) => s.on("data", () => {}));
    open.push({ close: () => server.close() });
    await new Promise<void>((r) => server.listen(pb!, "127.0.0.1", r));
    const link = new PeerLink("b", `127.0.0.1:${pb}`, quiet);
    open.push(link);
    link.connect();
    await until(() => link.isConnected);
    link.send([Buffer.from([4, 0, 0, 0]), Buffer.from("ping")]);
    const socket = (link as unknown as { socket: Socket }).socket;
    // Corked: still in our buffer.
    expect(socket.writableLength).toBeGreaterThan(0);
    link.flush();
    expect(socket.writableLength).toBe(0);
    void pa;
  });
});
