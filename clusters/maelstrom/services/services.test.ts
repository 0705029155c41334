/**
 * The services have their real consistency: lin-kv always answers with the
 * newest state; seq-kv serves stale reads yet never goes back in time for a
 * caller; lww-kv's replicas really disagree until they gossip; lin-tso counts.
 */
import { afterEach, describe, expect, it } from "vitest";
import { sleepMs } from "../../../src/controller/clock.js";
import type { Body } from "../../api/maelstrom-protocol.js";
import { LinKv } from "./lin-kv.js";
import { LinTso } from "./lin-tso.js";
import { LwwKv } from "./lww-kv.js";
import { SeqKv } from "./seq-kv.js";
import type { Service } from "./service.js";

const open: Service[] = [];
afterEach(() => open.splice(0).forEach((s) => s.close()));

let msgId = 0;
const req = (s: Service, src: string, body: Omit<Body, "msg_id">) => s.handle(src, { ...body, msg_id: ++msgId } as Body);

describe("lin-kv", () => {
  it("reads the newest write; cas checks and creates; missing keys are code 20", () => {
    const kv = new LinKv();
    expect(req(kv, "n1", { type: "read", key: "x" })).toMatchObject({ type: "error", code: 20 });
    expect(req(kv, "n1", { type: "cas", key: "x", from: 1, to: 2 })).toMatchObject({ type: "error", code: 20 });
    expect(req(kv, "n1", { type: "cas", key: "x", from: null, to: 2, create_if_not_exists: true })).toEqual({ type: "cas_ok" });
    expect(req(kv, "n2", { type: "cas", key: "x", from: 1, to: 3 })).toMatchObject({ type: "error", code: 22 });
    req(kv, "n2", { type: "write", key: "x", value: [1, 2] });
    expect(req(kv, "n1", { type: "read", key: "x" })).toEqual({ type: "read_ok", value: [1, 2] });
    expect(req(kv, "n1", { type: "frob", key: "x" })).toMatchObject({ type: "error", code: 10 });
  });
});

describe("seq-kv", () => {
  it("serves stale reads, but never older than what the caller saw or wrote", () => {
    const kv = new SeqKv(1);
    for (let v = 1; v <= 30; v++) req(kv, "n1", { type: "write", key: "x", value: v });
    const reads: number[] = [];
    for (let i = 0; i < 30; i++) {
      const r = req(kv, "n2", { type: "read", key: "x" });
      reads.push(r.type === "read_ok" ? (r.value as number) : 0);
    }
    expect(reads.some((v) => v < 30)).toBe(true); // stale: not linearizable
    for (let i = 1; i < reads.length; i++) expect(reads[i]).toBeGreaterThanOrEqual(reads[i - 1] as number); // monotonic per caller
    req(kv, "n2", { type: "write", key: "y", value: 1 });
    // After its own write, n2 sees the newest state: its program order is kept.
    expect(req(kv, "n2", { type: "read", key: "x" })).toEqual({ type: "read_ok", value: 30 });
  });
});

describe("lww-kv", () => {
  it("answers from replicas that disagree until they gossip", async () => {
    const kv = new LwwKv(3);
    open.push(kv);
    req(kv, "n1", { type: "write", key: "x", value: 1 });
    const before = Array.from({ length: 40 }, () => req(kv, "n2", { type: "read", key: "x" }));
    expect(before.some((r) => r.type === "error" && r.code === 20)).toBe(true); // another replica has not heard of it
    await sleepMs(600);
    const after = Array.from({ length: 20 }, () => req(kv, "n2", { type: "read", key: "x" }));
    expect(after.every((r) => r.type === "read_ok" && r.value === 1)).toBe(true);
  });
});

describe("lin-tso", () => {
  it("hands out increasing timestamps", () => {
    const tso = new LinTso();
    const ts = Array.from({ length: 5 }, () => req(tso, "n1", { type: "ts" }).ts as number);
    expect(ts).toEqual([0, 1, 2, 3, 4]);
  });
});
