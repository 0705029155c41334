import { request } from "node:http";

/** One readiness poll of a node: ready, not yet (why), or never (its answer is garbage). */
export type Probe = { ready: true } | { ready: false; why: string; fatal: boolean };

const BODY_SHOWN_CHARS = 200;

/**
 * GET `url` once. Ready on a 2xx; with `wantJsonObject` the body must also be a
 * JSON object (GET /v1/status). No connection yet, or a refusal (503, 404), is
 * "not yet"; bytes that are not HTTP, or a 2xx whose body is not what the route
 * promises, are garbage: waiting longer will not help.
 */
export function probeHttp(url: string, timeoutMs: number, wantJsonObject: boolean): Promise<Probe> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (p: Probe) => {
      if (settled) return;
      settled = true;
      resolve(p);
    };
    const req = request(url, { method: "GET", timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", (err) => settle({ ready: false, why: `GET ${url}: ${err.message}`, fatal: false }));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        const shown = JSON.stringify(text.slice(0, BODY_SHOWN_CHARS));
        if (status < 200 || status > 299) {
          settle({ ready: false, why: `GET ${url} answered ${status} ${shown}`, fatal: false });
          return;
        }
        if (wantJsonObject && !isJsonObject(text)) {
          settle({ ready: false, why: `GET ${url} answered ${status} with garbage, not a JSON object: ${shown}`, fatal: true });
          return;
        }
        settle({ ready: true });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (err: NodeJS.ErrnoException) => {
      // The HTTP parser's codes (HPE_*) mean the bytes that came back are not HTTP.
      const garbage = typeof err.code === "string" && err.code.startsWith("HPE_");
      settle({ ready: false, why: `GET ${url}: ${garbage ? "answered garbage, not HTTP" : "no answer"} (${err.message})`, fatal: garbage });
    });
    req.end();
  });
}

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}
