import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Gateway } from "./gateway.js";
import { freePort } from "../process/ports.js";

/** A stand-in gateway whose behaviour each path chooses. */
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      if (request.url === "/ok") response.end('{"header":{"revision":"7"}}');
      else if (request.url === "/error") {
        response.statusCode = 503;
        response.end('{"error":"etcdserver: request timed out","message":"etcdserver: request timed out","code":14}');
      } else if (request.url === "/reset") request.socket.destroy();
      // "/hang": never answer.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("Gateway", () => {
  it("parses a 200 body and an error body", async () => {
    const gateway = new Gateway(url, 1_000);
    expect(await gateway.post("/ok", {})).toEqual({ kind: "ok", body: { header: { revision: "7" } } });
    expect(await gateway.post("/error", {})).toEqual({
      kind: "rejected",
      status: 503,
      message: "etcdserver: request timed out",
      grpcCode: 14,
    });
    gateway.close();
  });

  it("connection refused is unsent; reset and timeout after sending are unknown", async () => {
    const closed = new Gateway(`http://127.0.0.1:${await freePort("127.0.0.1")}`, 1_000);
    expect((await closed.post("/ok", {})).kind).toBe("unsent");
    closed.close();
    const gateway = new Gateway(url, 300);
    expect((await gateway.post("/reset", {})).kind).toBe("unknown");
    expect(await gateway.post("/hang", {})).toMatchObject({ kind: "unknown", error: expect.stringContaining("300 ms") });
    gateway.close();
  });
});
