import { afterEach, describe, expect, it } from "vitest";
import type { Message } from "../core/types.js";
import { freePorts } from "./launch.js";
import { Transport } from "./transport.js";

const quiet = () => {};
const open: Transport[] = [];
afterEach(() => {
  for (const t of open.splice(0)) t.close();
});

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
      const t = new Transport({ id, listenHost: "127.0.0.1", listenPort: port, dial: { [peer]: `127.0.0.1:${peerPort}` }, onMessage, log: quiet });
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
});
