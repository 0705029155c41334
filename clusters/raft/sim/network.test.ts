import { describe, expect, it } from "vitest";
import { seededRng } from "../../../src/rng.js";
import type { Message } from "../core/types.js";
import { SimNetwork } from "./network.js";

function hb(from: string, to: string, commit: number): Message {
  return { type: "heartbeat", from, to, term: 1, commit, readRound: 0 };
}

describe("SimNetwork", () => {
  it("delivers after a delay, reordering messages", () => {
    const net = new SimNetwork(seededRng(3), { dropRate: 0, duplicateRate: 0, delayTicksMax: 5 });
    for (let i = 0; i < 50; i++) net.send(hb("a", "b", i), 0);
    const order: number[] = [];
    for (let t = 1; t <= 5; t++) for (const m of net.takeDue(t)) order.push((m as { commit: number }).commit);
    expect(order.length).toBe(50);
    expect(order).not.toEqual([...order].sort((x, y) => x - y));
  });

  it("drops and duplicates at the configured rates", () => {
    const net = new SimNetwork(seededRng(4), { dropRate: 0.3, duplicateRate: 0.2, delayTicksMax: 1 });
    for (let i = 0; i < 1000; i++) net.send(hb("a", "b", i), 0);
    const got = net.takeDue(1).length;
    expect(net.counters.dropped).toBeGreaterThan(200);
    expect(net.counters.duplicated).toBeGreaterThan(100);
    expect(got).toBe(1000 - net.counters.dropped + net.counters.duplicated);
  });

  it("a partition blocks both ways until healed", () => {
    const net = new SimNetwork(seededRng(5), { dropRate: 0, duplicateRate: 0, delayTicksMax: 1 });
    net.partition([["a"], ["b", "c"]]);
    net.send(hb("a", "b", 1), 0);
    net.send(hb("b", "a", 2), 0);
    net.send(hb("b", "c", 3), 0);
    expect(net.takeDue(1).map((m) => m.to)).toEqual(["c"]);
    net.heal();
    net.send(hb("a", "b", 4), 1);
    expect(net.takeDue(2).map((m) => m.to)).toEqual(["b"]);
  });
});
