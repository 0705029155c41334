import { describe, expect, it } from "vitest";
import { definitelyNotApplied, readFailure, writeFailure } from "./outcome.js";

describe("write outcomes", () => {
  it("a request that never left is a fail", () => {
    expect(writeFailure({ kind: "unsent", error: "ECONNREFUSED" }).type).toBe("fail");
  });

  it("a request that may have arrived is info", () => {
    expect(writeFailure({ kind: "unknown", error: "ECONNRESET" }).type).toBe("info");
  });

  it("refusals before proposing are fail; timeouts and stops are info", () => {
    const rejected = (message: string, grpcCode: number | null, status = 503) =>
      writeFailure({ kind: "rejected", status, message, grpcCode }).type;
    expect(rejected("raft proposal dropped", 2)).toBe("fail");
    expect(rejected("etcdserver: no leader", 14)).toBe("fail");
    expect(rejected("etcdserver: too many requests", 8, 429)).toBe("fail");
    expect(rejected("etcdserver: key is not provided", 3, 400)).toBe("fail");
    expect(rejected("HTTP 404: Not Found", null, 404)).toBe("fail");
    expect(rejected("etcdserver: request timed out", 14)).toBe("info");
    expect(rejected("etcdserver: request timed out, possibly due to previous leader failure", 14)).toBe("info");
    expect(rejected("etcdserver: server stopped", 14)).toBe("info");
    expect(rejected("etcdserver: leader changed", 14)).toBe("info");
    expect(rejected("something new", null, 500)).toBe("info");
  });

  it("knows the definite codes on their own", () => {
    expect(definitelyNotApplied("whatever", 3)).toBe(true);
    expect(definitelyNotApplied("whatever", 14)).toBe(false);
  });
});

describe("read outcomes", () => {
  it("every failed read is a fail, since a read changes nothing", () => {
    expect(readFailure({ kind: "unknown", error: "timeout" }).type).toBe("fail");
    expect(readFailure({ kind: "rejected", status: 503, message: "etcdserver: request timed out", grpcCode: 14 }).type).toBe("fail");
  });
});
