import { describe, expect, it } from "vitest";
import type { Entry, Ready } from "../core/types.js";
import { Disk } from "./disk.js";

function ready(entries: Entry[], hardState: Ready["hardState"] = null): Ready {
  return {
    hardState,
    snapshot: null,
    entries,
    messages: [],
    earlyMessages: [],
    committed: [],
    readStates: [],
    readFailures: [],
    softState: null,
  };
}

function e(index: number, term: number): Entry {
  return { index, term, type: "normal", data: `${index}/${term}` };
}

describe("Disk", () => {
  it("keeps what was persisted, truncating a conflicting tail", () => {
    const d = new Disk();
    d.persist(ready([e(1, 1), e(2, 1), e(3, 1)], { term: 1, vote: "a", commit: 1 }));
    d.persist(ready([e(2, 2)], { term: 2, vote: null, commit: 1 }));
    expect(d.restore()).toEqual({ hardState: { term: 2, vote: null, commit: 1 }, entries: [e(1, 1), e(2, 2)] });
  });

  it("keeps the hard state when a Ready has none", () => {
    const d = new Disk();
    d.persist(ready([], { term: 3, vote: "b", commit: 0 }));
    d.persist(ready([e(1, 3)]));
    expect(d.restore().hardState).toEqual({ term: 3, vote: "b", commit: 0 });
  });

  it("refuses a write that would leave a gap", () => {
    const d = new Disk();
    expect(() => d.persist(ready([e(2, 1)]))).toThrow(/gap after 0/);
  });

  it("forgets everything when wiped", () => {
    const d = new Disk();
    d.persist(ready([e(1, 1)], { term: 1, vote: "a", commit: 1 }));
    d.wipe();
    expect(d.restore()).toEqual({ hardState: { term: 0, vote: null, commit: 0 }, entries: [] });
  });
});
