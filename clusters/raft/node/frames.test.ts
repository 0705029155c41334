import { describe, expect, it } from "vitest";
import { encodeFrame, FrameReader, FRAME_BYTES_MAX } from "./frames.js";

describe("frames", () => {
  it("reassembles frames split and joined at any byte", () => {
    const bodies = ["a", "", "x".repeat(70_000), `{"k":"ü"}`];
    const stream = Buffer.concat(bodies.flatMap((b) => encodeFrame([Buffer.from(b)])));
    for (const step of [1, 3, 7, 4096, stream.length]) {
      const reader = new FrameReader();
      const got: string[] = [];
      for (let i = 0; i < stream.length; i += step) got.push(...reader.push(stream.subarray(i, i + step)).map((f) => f.toString("utf8")));
      expect(got).toEqual(bodies);
    }
  });

  it("refuses a frame over the limit", () => {
    const header = Buffer.alloc(4);
    header.writeUInt32LE(FRAME_BYTES_MAX + 1, 0);
    expect(() => new FrameReader().push(header)).toThrow(/exceeds/);
  });
});
