import { describe, expect, it } from "vitest";
import { decodeCommand, encodeCommand, type Command } from "./commands.js";
import { DELIVERIES_RETAINED, StateMachine } from "./machine.js";
import { SESSION_IDLE_MS_MAX, SESSIONS_MAX } from "./sessions.js";

function applyAll(sm: StateMachine, cmds: Command[], term = 1) {
  return cmds.map((c) => sm.apply(sm.appliedIndex + 1, term, encodeCommand(c)));
}

describe("state machine", () => {
  it("numbers broadcasts 1, 2, 3 with no gaps, skipping no-ops", () => {
    const sm = new StateMachine();
    sm.skip(1);
    const [a, , b] = applyAll(sm, [
      { op: "bcast", message: "x" },
      { op: "put", key: "k", value: "v" },
      { op: "bcast", message: "y" },
    ]);
    expect(a).toEqual({ op: "bcast", seq: 1, index: 2, term: 1 });
    expect(b).toEqual({ op: "bcast", seq: 2, index: 4, term: 1 });
    expect(sm.deliveries(1, 10)).toEqual({
      deliveries: [
        { seq: 1, message: "x" },
        { seq: 2, message: "y" },
      ],
      next: 3,
    });
    expect(sm.deliveries(2, 10)).toEqual({ deliveries: [{ seq: 2, message: "y" }], next: 3 });
    expect(sm.deliveries(3, 10)).toEqual({ deliveries: [], next: 3 });
    expect(sm.deliveries(1, 1)).toMatchObject({ next: 2 });
  });

  it("puts, gets and compares-and-sets, with null meaning absent", () => {
    const sm = new StateMachine();
    const r = applyAll(sm, [
      { op: "get", key: "k" },
      { op: "cas", key: "k", from: "a", to: "b" },
      { op: "cas", key: "k", from: null, to: "a" },
      { op: "cas", key: "k", from: null, to: "c" },
      { op: "cas", key: "k", from: "a", to: "b" },
      { op: "put", key: "k", value: "z" },
      { op: "get", key: "k" },
    ]);
    expect(r).toEqual([
      { op: "get", value: null },
      { op: "cas", ok: false, value: null },
      { op: "cas", ok: true },
      { op: "cas", ok: false, value: "a" },
      { op: "cas", ok: true },
      { op: "put", index: 6 },
      { op: "get", value: "z" },
    ]);
    expect(sm.get("k")).toBe("z");
  });

  it("gives fencing tokens equal to the acquiring entry's index", () => {
    const sm = new StateMachine();
    sm.skip(1);
    sm.skip(2);
    const r = applyAll(sm, [
      { op: "acquire", name: "L", owner: "a" },
      { op: "acquire", name: "L", owner: "b" },
      { op: "release", name: "L", owner: "b", token: 3 },
      { op: "release", name: "L", owner: "a", token: 2 },
      { op: "release", name: "L", owner: "a", token: 3 },
      { op: "acquire", name: "L", owner: "b" },
    ]);
    expect(r).toEqual([
      { op: "acquire", ok: true, token: 3 },
      { op: "acquire", ok: false, holder: "a" },
      { op: "release", ok: false, holder: "a" },
      { op: "release", ok: false, holder: "a" },
      { op: "release", ok: true },
      { op: "acquire", ok: true, token: 8 },
    ]);
  });

  it("applies list-append transactions atomically with filled reads", () => {
    const sm = new StateMachine();
    const [t1, t2] = applyAll(sm, [
      {
        op: "txn",
        ops: [
          ["r", "x", null],
          ["append", "x", 1],
          ["append", "x", 2],
          ["r", "x", null],
        ],
      },
      {
        op: "txn",
        ops: [
          ["append", "y", 3],
          ["r", "x", null],
          ["r", "y", null],
        ],
      },
    ]);
    expect(t1).toEqual({
      op: "txn",
      ops: [
        ["r", "x", []],
        ["append", "x", 1],
        ["append", "x", 2],
        ["r", "x", [1, 2]],
      ],
    });
    expect(t2).toEqual({
      op: "txn",
      ops: [
        ["append", "y", 3],
        ["r", "x", [1, 2]],
        ["r", "y", [3]],
      ],
    });
  });

  it("is deterministic: two replicas applying one log agree", () => {
    const log: Command[] = [];
    for (let i = 0; i < 200; i++) {
      const k = `k${i % 7}`;
      log.push(i % 3 === 0 ? { op: "cas", key: k, from: null, to: `v${i}` } : { op: "bcast", message: `m${i}` });
      if (i % 5 === 0)
        log.push({
          op: "txn",
          ops: [
            ["append", k, i],
            ["r", k, null],
          ],
        });
    }
    const a = new StateMachine();
    const b = new StateMachine();
    expect(applyAll(a, log)).toEqual(applyAll(b, log));
    expect(a.deliveries(1, 1000)).toEqual(b.deliveries(1, 1000));
  });

  it("refuses to apply out of order", () => {
    const sm = new StateMachine();
    expect(() => sm.apply(2, 1, encodeCommand({ op: "get", key: "k" }))).toThrow(/applying index 2 after 0/);
  });

  it("decodes strictly, naming the bad field", () => {
    expect(() => decodeCommand("{")).toThrow(/not JSON/);
    expect(() => decodeCommand(`{"op":"put","key":"k","value":1}`)).toThrow(/value must be a string/);
    expect(() => decodeCommand(`{"op":"nope"}`)).toThrow(/unknown command op "nope"/);
    expect(() => decodeCommand(`{"op":"txn","ops":[["w","k",1]]}`)).toThrow(/ops\[0\] f must be/);
    expect(() => decodeCommand(`{"op":"release","name":"L","owner":"a","token":1.5}`)).toThrow(/token must be an integer/);
  });
});

describe("client sessions", () => {
  function session(sm: StateMachine, timeMs = 1): string {
    const r = sm.apply(sm.appliedIndex + 1, 1, encodeCommand({ op: "register" }, null, timeMs));
    if (r.op !== "register") throw new Error("not registered");
    return r.client;
  }
  const put = (sm: StateMachine, client: string, seq: number, value: string, timeMs = 1) =>
    sm.apply(sm.appliedIndex + 1, 1, encodeCommand({ op: "put", key: "k", value }, { client, seq }, timeMs));

  it("answers a duplicate with the first result and does not apply it again", () => {
    const sm = new StateMachine();
    const c = session(sm);
    expect(put(sm, c, 1, "a")).toEqual({ op: "put", index: 2 });
    expect(put(sm, "0", 1, "z")).toMatchObject({ op: "session" });
    put(sm, c, 2, "b");
    const bcast = (seq: number) => sm.apply(sm.appliedIndex + 1, 1, encodeCommand({ op: "bcast", message: "m" }, { client: c, seq }, 1));
    const first = bcast(3);
    expect(bcast(3)).toEqual(first);
    expect(sm.deliveries(1, 10)).toMatchObject({ deliveries: [{ seq: 1 }] });
    expect(put(sm, c, 2, "again")).toMatchObject({ op: "session", refused: expect.stringMatching(/behind/) });
    expect(sm.get("k")).toBe("b");
  });

  it("expires an idle session by the time the log carries, the same on every replica", () => {
    const sm = new StateMachine();
    const idle = session(sm, 1000);
    const busy = session(sm, 1000);
    put(sm, busy, 1, "x", 1000 + SESSION_IDLE_MS_MAX - 1);
    put(sm, busy, 2, "y", 1000 + SESSION_IDLE_MS_MAX + 1);
    expect(put(sm, idle, 1, "late", 1000 + SESSION_IDLE_MS_MAX + 2)).toMatchObject({
      op: "session",
      refused: expect.stringMatching(/expired/),
    });
    expect(put(sm, busy, 3, "z", 1000 + SESSION_IDLE_MS_MAX + 2)).toEqual({ op: "put", index: sm.appliedIndex });
    // A leader with a slower clock never moves log time back.
    expect(put(sm, busy, 4, "w", 5)).toEqual({ op: "put", index: sm.appliedIndex });
  });

  it("keeps at most SESSIONS_MAX sessions, dropping the least recently used", () => {
    const sm = new StateMachine();
    const first = session(sm);
    const second = session(sm);
    put(sm, first, 1, "keep");
    for (let i = 0; i < SESSIONS_MAX - 1; i++) session(sm);
    expect(sm.sessions.size).toBe(SESSIONS_MAX);
    expect(put(sm, second, 1, "gone")).toMatchObject({ op: "session" });
    expect(put(sm, first, 2, "still")).toMatchObject({ op: "put" });
  });
});

describe("snapshots", () => {
  it("restores kv, lists, locks, deliveries and sessions exactly, and goes on the same way", () => {
    const sm = new StateMachine();
    const reg = sm.apply(1, 1, encodeCommand({ op: "register" }, null, 5));
    const client = (reg as { client: string }).client;
    applyAll(sm, [
      { op: "put", key: "k", value: "v" },
      {
        op: "txn",
        ops: [
          ["append", "l", 1],
          ["append", "l", 2],
        ],
      },
      { op: "acquire", name: "L", owner: "o" },
      { op: "bcast", message: "m1" },
    ]);
    const tagged = encodeCommand({ op: "bcast", message: "m2" }, { client, seq: 1 }, 6);
    const first = sm.apply(sm.appliedIndex + 1, 1, tagged);
    const copy = new StateMachine();
    copy.restore(sm.snapshot());
    expect(copy.snapshot()).toBe(sm.snapshot());
    expect(copy.appliedIndex).toBe(sm.appliedIndex);
    // The same next entries give the same results on both: a resend is still a duplicate.
    const next = sm.appliedIndex + 1;
    expect(copy.apply(next, 2, tagged)).toEqual(first);
    expect(sm.apply(next, 2, tagged)).toEqual(first);
    const more = encodeCommand({ op: "bcast", message: "m3" });
    expect(copy.apply(next + 1, 2, more)).toEqual(sm.apply(next + 1, 2, more));
    expect(copy.deliveries(1, 10)).toEqual(sm.deliveries(1, 10));
  });

  it("keeps the newest deliveries only and answers a read below them 'compacted' with the first kept seq", () => {
    const sm = new StateMachine();
    const total = DELIVERIES_RETAINED + 10_001;
    for (let i = 1; i <= total; i++) sm.apply(i, 1, encodeCommand({ op: "bcast", message: `m${i}` }));
    const first = total - DELIVERIES_RETAINED + 1;
    expect(sm.deliveries(1, 10)).toEqual({ compacted: true, first });
    expect(sm.deliveries(first, 2)).toEqual({
      deliveries: [
        { seq: first, message: `m${first}` },
        { seq: first + 1, message: `m${first + 1}` },
      ],
      next: first + 2,
    });
    const copy = new StateMachine();
    copy.restore(sm.snapshot());
    expect(copy.apply(total + 1, 1, encodeCommand({ op: "bcast", message: "x" }))).toMatchObject({ seq: total + 1 });
  });

  it("refuses a snapshot that is not a state machine image", () => {
    expect(() => new StateMachine().restore(`{"v":2}`)).toThrow(/not a state machine image/);
  });
});
