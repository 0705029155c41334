import { describe, expect, it } from "vitest";
import { RESERVED_BYTES, carvedBytes, int32Column, uint8Column, withColumns } from "./arena.js";

describe("arena", () => {
  it("carves zeroed columns in a scope and frees them when it returns", () => {
    expect(carvedBytes()).toBe(0);
    withColumns(() => {
      const a = int32Column(10);
      a.fill(7);
      expect(a.buffer.byteLength).toBe(RESERVED_BYTES);
      expect(carvedBytes()).toBe(40);
    });
    expect(carvedBytes()).toBe(0);
    // the bytes come back zeroed, as a fresh typed array's would
    withColumns(() => expect([...int32Column(10)]).toEqual(new Array(10).fill(0)));
  });

  it("keeps nested scopes' columns apart and 8-aligned", () => {
    withColumns(() => {
      const outer = uint8Column(3);
      outer.fill(1);
      withColumns(() => {
        const inner = int32Column(4);
        expect(inner.byteOffset % 8).toBe(0);
        expect(inner.byteOffset).toBeGreaterThanOrEqual(outer.byteOffset + 3);
        inner.fill(-1);
      });
      expect([...outer]).toEqual([1, 1, 1]);
    });
  });

  it("gives fresh arrays outside a scope, when full, and after a throw frees the scope", () => {
    expect(int32Column(4).buffer.byteLength).toBe(16);
    withColumns(() => expect(int32Column(RESERVED_BYTES / 4 + 1).buffer.byteLength).toBe(RESERVED_BYTES + 4));
    expect(() =>
      withColumns(() => {
        int32Column(100);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(carvedBytes()).toBe(0);
  });
});
