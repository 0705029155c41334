import { describe, expect, it } from "vitest";
import type { Entry } from "../core/types.js";
import { type LogView, SafetyChecker } from "./invariants.js";

function e(index: number, term: number, data = `d${index}t${term}`): Entry {
  return { index, term, type: "normal", data };
}

function view(...entries: Entry[]): LogView {
  return (i) => entries[i - 1];
}

describe("SafetyChecker catches each injected violation", () => {
  it("passes a consistent history", () => {
    const c = new SafetyChecker();
    c.observeEntries("a", [e(1, 1), e(2, 1)], 0);
    c.observeEntries("b", [e(1, 1), e(2, 1)], 0);
    c.observeLeaders([{ id: "a", term: 1, log: view(e(1, 1), e(2, 1)) }]);
    c.observeCommit("a", 1, 2, view(e(1, 1), e(2, 1)));
    c.observeApplied("b", 1, [e(1, 1), e(2, 1)]);
    c.observeLeaders([{ id: "b", term: 2, log: view(e(1, 1), e(2, 1)) }]);
    c.observeRead("b", "r", 2, 2);
    expect(c.violations).toEqual([]);
    expect(c.committedIndex()).toBe(2);
  });

  it("two leaders in one term", () => {
    const c = new SafetyChecker();
    c.observeLeaders([{ id: "a", term: 3, log: view() }]);
    c.observeLeaders([{ id: "b", term: 3, log: view() }]);
    expect(c.violations).toEqual(["step 0: election safety: a and b are both leaders of term 3"]);
  });

  it("the same (index, term) holding different data", () => {
    const c = new SafetyChecker();
    c.observeEntries("a", [e(1, 1, "x")], 0);
    c.observeEntries("b", [e(1, 1, "y")], 0);
    expect(c.violations[0]).toMatch(/log matching/);
  });

  it("the same (index, term) after different predecessors", () => {
    const c = new SafetyChecker();
    c.observeEntries("a", [e(1, 1), e(2, 2)], 0);
    c.observeEntries("b", [e(2, 2)], 3);
    expect(c.violations[0]).toMatch(/log matching: b holds 2:t2.* after term 3/);
  });

  it("two nodes applying different entries at one index", () => {
    const c = new SafetyChecker();
    c.observeApplied("a", 1, [e(1, 1)]);
    c.observeApplied("b", 2, [e(1, 2)]);
    expect(c.violations[0]).toMatch(/state machine safety: b applied 1:t2/);
  });

  it("a commit index disagreeing with what another node applied", () => {
    const c = new SafetyChecker();
    c.observeApplied("a", 1, [e(1, 1)]);
    c.observeCommit("b", 2, 1, view(e(1, 2)));
    expect(c.violations[0]).toMatch(/state machine safety: b committed 1:t2/);
  });

  it("applying out of order", () => {
    const c = new SafetyChecker();
    c.observeApplied("a", 1, [e(2, 1)]);
    expect(c.violations[0]).toMatch(/a applied 2:t1.* after index 0/);
  });

  it("a new leader missing a committed entry", () => {
    const c = new SafetyChecker();
    c.observeCommit("a", 1, 1, view(e(1, 1)));
    c.observeLeaders([{ id: "b", term: 2, log: view(e(1, 2)) }]);
    expect(c.violations[0]).toMatch(/leader completeness: b, leader of term 2/);
  });

  it("a sitting leader missing an entry committed later", () => {
    const c = new SafetyChecker();
    c.observeLeaders([{ id: "b", term: 5, log: view() }]);
    c.observeCommit("a", 1, 1, view(e(1, 1)));
    c.observeLeaders([{ id: "b", term: 5, log: view() }]);
    expect(c.violations[0]).toMatch(/leader completeness: b, leader of term 5, has nothing/);
  });

  it("does not blame a stale leader for an entry committed in a later term", () => {
    const c = new SafetyChecker();
    c.observeCommit("a", 4, 1, view(e(1, 2)));
    c.observeLeaders([{ id: "b", term: 3, log: view(e(1, 3)) }]);
    expect(c.violations).toEqual([]);
  });

  it("a read answered below what was committed when it began", () => {
    const c = new SafetyChecker();
    c.observeRead("a", "r1", 4, 5);
    expect(c.violations[0]).toMatch(/stale read: a answered r1 at index 4/);
  });
});
