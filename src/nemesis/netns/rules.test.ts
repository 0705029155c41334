import { describe, expect, it } from "vitest";
import { nftScript, partitionBlocks, TABLE } from "./rules.js";

const HOSTS = ["a", "b", "c", "d", "e"];

describe("partitionBlocks", () => {
  it("drops across groups and keeps traffic within a group", () => {
    const blocks = partitionBlocks(HOSTS, [
      ["a", "b"],
      ["c", "d", "e"],
    ]);
    expect([...blocks.get("a")!].sort()).toEqual(["c", "d", "e"]);
    expect([...blocks.get("d")!].sort()).toEqual(["a", "b"]);
  });

  it("cuts a host named in no group off from everyone", () => {
    const blocks = partitionBlocks(HOSTS, [["a", "b", "c", "d"]]);
    expect([...blocks.get("e")!].sort()).toEqual(["a", "b", "c", "d"]);
    expect(blocks.get("a")!.has("e")).toBe(true);
    expect(blocks.get("a")!.has("b")).toBe(false);
  });

  it("refuses unknown hosts and hosts in two groups", () => {
    expect(() => partitionBlocks(HOSTS, [["a", "zz"]])).toThrow(/unknown host "zz"/);
    expect(() => partitionBlocks(HOSTS, [["a"], ["a", "b"]])).toThrow(/two partition groups/);
  });
});

describe("nftScript", () => {
  it("replaces the table atomically and drops the listed sources", () => {
    const script = nftScript(["10.77.1.3", "10.77.1.2"]);
    expect(script.startsWith(`add table inet ${TABLE}\ndelete table inet ${TABLE}\n`)).toBe(true);
    expect(script).toContain("ip saddr { 10.77.1.2, 10.77.1.3 } drop");
  });

  it("with nothing to drop only removes the table", () => {
    expect(nftScript([])).toBe(`add table inet ${TABLE}\ndelete table inet ${TABLE}\n`);
  });
});
