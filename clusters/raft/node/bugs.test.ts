import { describe, expect, it } from "vitest";
import type { Entry } from "../core/types.js";
import { encodeCommand, type Command } from "../state/commands.js";
import { applyOrder, bugAck, lockToken, splitTxn, uncheckedCas } from "./bugs.js";
import type { ProposeOutcome } from "./proposals.js";

const entry = (index: number, cmd: Command | null): Entry =>
  ({ index, term: 1, type: cmd ? "normal" : "noop", data: cmd ? encodeCommand(cmd) : "" }) as Entry;

describe("planted bugs", () => {
  it("every hook is the identity without its flag", () => {
    const batch = [entry(1, { op: "bcast", message: "a" }), entry(2, { op: "bcast", message: "b" })];
    expect(applyOrder([], false, batch)).toBe(batch);
    expect(bugAck([], { op: "put", key: "k", value: "v" }, 3, 1)).toBeNull();
    expect(lockToken([], 7, 2)).toBe(7);
  });

  it("reorder-delivery swaps a follower's first two broadcasts of a batch, indexes kept; a leader's batch is untouched", () => {
    const batch = [
      entry(1, null),
      entry(2, { op: "bcast", message: "a" }),
      entry(3, { op: "put", key: "k", value: "v" }),
      entry(4, { op: "bcast", message: "b" }),
    ];
    const out = applyOrder(["reorder-delivery"], false, batch);
    expect(out.map((e) => e.index)).toEqual([1, 2, 3, 4]);
    expect(JSON.parse(out[1]!.data).message).toBe("b");
    expect(JSON.parse(out[3]!.data).message).toBe("a");
    expect(JSON.parse(batch[1]!.data).message).toBe("a");
    expect(applyOrder(["reorder-delivery"], true, batch)).toBe(batch);
  });

  it("lost-broadcast answers a broadcast at step-down; ack-before-quorum a put once appended; unfenced-lock's token is the term", () => {
    expect(bugAck(["lost-broadcast"], { op: "bcast", message: "m" }, 9, 2)).toEqual({
      when: "stepped-down",
      result: { op: "bcast", seq: 9, index: 9, term: 2 },
    });
    expect(bugAck(["ack-before-quorum"], { op: "put", key: "k", value: "v" }, 9, 2)).toEqual({
      when: "appended",
      result: { op: "put", index: 9 },
    });
    expect(bugAck(["lost-broadcast"], { op: "put", key: "k", value: "v" }, 9, 2)).toBeNull();
    expect(lockToken(["unfenced-lock"], 7, 2)).toBe(2);
  });

  it("split-txn proposes up to the first append, then the rest; a txn with nothing after it goes whole", async () => {
    const proposed: Command[] = [];
    const propose = async (cmd: Command): Promise<ProposeOutcome> => {
      proposed.push(cmd);
      return { kind: "applied", result: { op: "txn", ops: cmd.op === "txn" ? cmd.ops : [] } };
    };
    const out = await splitTxn(
      [
        ["r", "x", null],
        ["append", "x", 1],
        ["append", "y", 2],
      ],
      propose,
    );
    expect(proposed.map((c) => (c.op === "txn" ? c.ops.length : 0))).toEqual([2, 1]);
    expect(out).toMatchObject({
      kind: "applied",
      result: {
        ops: [
          ["r", "x", null],
          ["append", "x", 1],
          ["append", "y", 2],
        ],
      },
    });
    proposed.length = 0;
    await splitTxn(
      [
        ["r", "x", null],
        ["append", "x", 1],
      ],
      propose,
    );
    expect(proposed).toHaveLength(1);
  });

  it("split-txn answers unknown when the second half fails after the first applied", async () => {
    let calls = 0;
    const propose = async (cmd: Command): Promise<ProposeOutcome> =>
      calls++ === 0
        ? { kind: "applied", result: { op: "txn", ops: cmd.op === "txn" ? cmd.ops : [] } }
        : { kind: "unavailable", leader: null, reason: "x" };
    expect(
      await splitTxn(
        [
          ["append", "x", 1],
          ["append", "y", 2],
        ],
        propose,
      ),
    ).toEqual({ kind: "timeout" });
  });

  it("duplicate-claim compares on the state it is given, then writes unconditionally", async () => {
    const proposed: Command[] = [];
    const propose = async (cmd: Command): Promise<ProposeOutcome> => {
      proposed.push(cmd);
      return { kind: "applied", result: { op: "put", index: 5 } };
    };
    expect(await uncheckedCas({ key: "u", from: null, to: "p1" }, () => null, propose)).toEqual({
      kind: "applied",
      result: { op: "cas", ok: true },
    });
    expect(proposed).toEqual([{ op: "put", key: "u", value: "p1" }]);
    expect(await uncheckedCas({ key: "u", from: null, to: "p2" }, () => "p1", propose)).toEqual({
      kind: "applied",
      result: { op: "cas", ok: false, value: "p1" },
    });
    expect(proposed).toHaveLength(1);
  });
});
