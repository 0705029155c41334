import { describe, expect, it } from "vitest";
import { DEFAULT_FAULTS, parseFaults } from "./faults.js";

describe("parseFaults", () => {
  it("turns everything off for none", () => {
    expect(parseFaults("none")).toMatchObject({
      dropRate: 0,
      duplicateRate: 0,
      delayTicksMax: 1,
      crashRate: 0,
      partitionRate: 0,
      diskDelayTicksMax: 0,
      tornShare: 0,
      corruptRate: 0,
    });
  });

  it("gives bare names their default rate and takes explicit values", () => {
    const f = parseFaults("drop,crash=0.05, delay=7");
    expect(f).toMatchObject({ dropRate: DEFAULT_FAULTS.dropRate, crashRate: 0.05, delayTicksMax: 7, partitionRate: 0, corruptRate: 0 });
  });

  it("names the bad part of a malformed list", () => {
    expect(() => parseFaults("drop,flood")).toThrow(
      /unknown fault "flood".*drop, duplicate, delay, crash, partition, slowdisk, torn, corrupt/,
    );
    expect(() => parseFaults("drop=2")).toThrow(/fault "drop" needs a probability in \[0, 1\], got "2"/);
    expect(() => parseFaults("delay=0.5")).toThrow(/whole number of ticks/);
  });
});
