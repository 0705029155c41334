/**
 * The router: cut links drop node-to-node messages only; delays and the
 * latency distributions hold messages back; everything is counted, and a
 * message that cannot be routed is refused and counted, never thrown.
 */
import { describe, expect, it } from "vitest";
import { sleepMs } from "../../src/controller/clock.js";
import { Latency } from "./latency.js";
import type { Message } from "../api/maelstrom-protocol.js";
import { type EndpointKind, Router } from "./router.js";

function setup(latencyMs = 0) {
  const bad: string[] = [];
  const router = new Router(new Latency(latencyMs, "constant", 1), (b) => bad.push(`${b.node}: ${b.reason}`));
  const got: Record<string, Message[]> = {};
  const attach = (id: string, kind: EndpointKind) => {
    got[id] = [];
    router.attach(id, { kind, deliver: (m) => got[id]!.push(m) });
  };
  attach("n1", "node");
  attach("n2", "node");
  attach("c1", "client");
  attach("lin-kv", "service");
  const send = (src: string, dest: string) => {
    const m: Message = { src, dest, body: { type: "x" } };
    router.send(src, m, JSON.stringify(m));
  };
  return { router, got, send, bad };
}

describe("router", () => {
  it("cuts only the listed directed node links, and heals", async () => {
    const { router, got, send } = setup();
    await router.cut([["n1", "n2"]]);
    send("n1", "n2");
    send("n2", "n1");
    send("c1", "n2");
    send("n1", "lin-kv");
    expect(got.n2).toHaveLength(1); // the client's
    expect(got.n1).toHaveLength(1);
    expect(got["lin-kv"]).toHaveLength(1);
    await router.heal();
    send("n1", "n2");
    expect(got.n2).toHaveLength(2);
    expect(router.counts()).toMatchObject({ servers: 3, clients: 1, services: 1, dropped: 1, bad: 0 });
    await router.close();
  });

  it("holds messages back by the latency and a link's delay", async () => {
    const { router, got, send } = setup(30);
    await router.delay([["n1", "n2"]], 60);
    const start = performance.now();
    send("n1", "n2");
    send("n2", "n1");
    await sleepMs(50);
    expect(got.n1).toHaveLength(1);
    expect(got.n2).toHaveLength(0);
    while (got.n2!.length === 0 && performance.now() - start < 2_000) await sleepMs(5);
    expect(performance.now() - start).toBeGreaterThanOrEqual(85);
    await router.close();
  });

  it("refuses a wrong src and an unknown dest, counting them", () => {
    const { router, bad } = setup();
    router.send("n1", { src: "n2", dest: "n1", body: { type: "x" } }, "{}");
    router.send("n1", { src: "n1", dest: "n9", body: { type: "x" } }, "{}");
    expect(router.counts().bad).toBe(2);
    expect(bad).toEqual(['n1: src is "n2", but n1 sent it', 'n1: dest "n9" is no node, client or service']);
    expect(router.badMessages()).toHaveLength(2);
  });

  it("draws latencies with the asked mean", () => {
    for (const dist of ["constant", "uniform", "exponential"] as const) {
      const l = new Latency(100, dist, 7);
      const draws = Array.from({ length: 20_000 }, () => l.drawMs());
      const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
      expect(mean, dist).toBeGreaterThan(90);
      expect(mean, dist).toBeLessThan(110);
      expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    }
  });
});
