import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLoad } from "./load.js";

/** A target that refuses every second request with 503, and counts what it served. */
let server: Server;
let served = 0;
let url = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      served++;
      if (req.url?.startsWith("/always-503") || served % 2 === 0) {
        res.writeHead(503, { "content-type": "application/json" }).end('{"error":"unavailable"}');
      } else {
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("runLoad", () => {
  it("counts only 2xx answers as throughput and reports the rest as the error rate", async () => {
    served = 0;
    const figures = await runLoad({
      url,
      template: { method: "PUT", path: (n) => `/kv/${n}`, body: () => "{}" },
      connections: 4,
      durationSec: 1,
    });
    expect(figures.okCount + figures.non2xxCount).toBeGreaterThan(0);
    // The server's own count agrees with the load generator's (a request may be cut at the end).
    expect(Math.abs(served - (figures.okCount + figures.non2xxCount))).toBeLessThanOrEqual(4);
    expect(figures.errorRate).toBeGreaterThan(0.4);
    expect(figures.errorRate).toBeLessThan(0.6);
    expect(figures.okPerSec * figures.durationSec).toBeCloseTo(figures.okCount, 0);
  });

  it("reports no throughput at all from a target that only answers errors", async () => {
    const figures = await runLoad({ url, template: { method: "GET", path: () => "/always-503" }, connections: 2, durationSec: 0.5 });
    expect(figures.non2xxCount).toBeGreaterThan(0);
    expect(figures.okCount).toBe(0);
    expect(figures.okPerSec).toBe(0);
    expect(figures.errorRate).toBe(1);
  });
});
