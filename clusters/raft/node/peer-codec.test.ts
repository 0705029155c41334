import { describe, expect, it } from "vitest";
import type { Entry, Message } from "../core/types.js";
import { decodeMessage, encodeMessage } from "./peer-codec.js";

const roundTrip = (m: Message) => decodeMessage(Buffer.concat(encodeMessage(m)));

describe("peer codec", () => {
  it("round-trips every message type, binary or JSON", () => {
    const entries: Entry[] = [
      { index: 8, term: 3, type: "noop", data: "" },
      { index: 9, term: 4, type: "normal", data: `{"op":"put","key":"ü\\"k","value":"${"v".repeat(300)}"}` },
      { index: 10, term: 4, type: "config", data: `{"voters":["n1","n2"],"addrs":{}}` },
    ];
    const messages: Message[] = [
      { type: "append", from: "n1", to: "n2", term: 4, prevIndex: 7, prevTerm: 3, entries, commit: 6 },
      { type: "append", from: "n1", to: "n3", term: 4, prevIndex: 9, prevTerm: 4, entries: [], commit: 9 },
      { type: "appendResp", from: "n2", to: "n1", term: 4, success: true, index: 2 ** 40, hintIndex: 0, hintTerm: 0 },
      { type: "appendResp", from: "n2", to: "n1", term: 5, success: false, index: 7, hintIndex: 5, hintTerm: 2 },
      { type: "vote", from: "n1", to: "n2", term: 5, lastLogIndex: 9, lastLogTerm: 4 },
      { type: "heartbeat", from: "n1", to: "n2", term: 5, commit: 9, readRound: 3 },
      {
        type: "snapshot",
        from: "n1",
        to: "n3",
        term: 5,
        snapshot: { index: 9, term: 4, data: "{}", config: { voters: ["n1", "n3"], addrs: { n3: { peer: "h:1", http: "http://h:2" } } } },
      },
    ];
    for (const m of messages) expect(roundTrip(m)).toEqual(m);
  });

  it("encodes a range shared by two followers once, and a different range anew", () => {
    const a: Entry = { index: 1, term: 1, type: "normal", data: "a" };
    const b: Entry = { index: 2, term: 1, type: "normal", data: "b" };
    const append = (to: string, entries: Entry[]): Message => ({
      type: "append",
      from: "n1",
      to,
      term: 1,
      prevIndex: entries[0]!.index - 1,
      prevTerm: entries[0]!.index === 1 ? 0 : 1,
      entries,
      commit: 0,
    });
    const first = encodeMessage(append("n2", [a, b]));
    expect(encodeMessage(append("n3", [a, b]))[1]).toBe(first[1]);
    expect(roundTrip(append("n3", [b]))).toEqual(append("n3", [b]));
  });

  it("refuses truncated, overlong and unknown bodies", () => {
    const body = Buffer.concat(
      encodeMessage({ type: "appendResp", from: "n2", to: "n1", term: 1, success: true, index: 1, hintIndex: 0, hintTerm: 0 }),
    );
    expect(() => decodeMessage(body.subarray(0, body.length - 1))).toThrow(/truncated/);
    expect(() => decodeMessage(Buffer.concat([body, Buffer.from([0])]))).toThrow(/trailing/);
    expect(() => decodeMessage(Buffer.from([9]))).toThrow(/unknown/);
  });
});
