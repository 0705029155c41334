import { Agent, request, type IncomingMessage, type ServerResponse } from "node:http";
import { SESSION_CLIENT_HEADER, SESSION_SEQ_HEADER } from "../../api/headers.js";
import { sendJson } from "./http-io.js";
import { REQUEST_TIMEOUT_MS } from "./replica.js";

/** Marks a request a follower passed on, so it is never passed on twice. */
export const FORWARDED_HEADER = "x-tob-forwarded";
export { SESSION_CLIENT_HEADER, SESSION_SEQ_HEADER };

/** Longer than the leader's own wait, so the leader's answer usually arrives first. */
const FORWARD_TIMEOUT_MS = REQUEST_TIMEOUT_MS + 1000;

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/**
 * Proxies a request to the leader and relays its answer. If the leader cannot
 * be reached, nothing was sent (503); if the connection fails afterwards, the
 * outcome is unknown (504).
 */
export function forward(req: IncomingMessage, body: Buffer, res: ServerResponse, leaderUrl: string, fromId: string): void {
  const target = new URL(req.url ?? "/", leaderUrl);
  let answered = false;
  const answer = (status: number, payload: unknown) => {
    if (answered) return;
    answered = true;
    sendJson(res, status, payload);
  };
  const out = request(
    target,
    {
      method: req.method,
      agent,
      headers: { ...sessionHeaders(req), "content-type": "application/json", "content-length": body.length, [FORWARDED_HEADER]: fromId },
      timeout: FORWARD_TIMEOUT_MS,
    },
    (upstream) => {
      const chunks: Buffer[] = [];
      upstream.on("data", (c: Buffer) => chunks.push(c));
      upstream.on("end", () => {
        if (answered) return;
        answered = true;
        const text = Buffer.concat(chunks);
        res.writeHead(upstream.statusCode ?? 502, { "content-type": "application/json", "content-length": text.length });
        res.end(text);
      });
      upstream.on("error", () => answer(504, { error: "timeout", detail: "leader connection lost mid-answer" }));
    },
  );
  out.on("timeout", () => out.destroy(new Error("forward timeout")));
  out.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "ECONNREFUSED")
      answer(503, { error: "unavailable", leader: null, detail: `leader at ${leaderUrl} refused the connection` });
    else answer(504, { error: "timeout", detail: `forwarding to the leader failed: ${err.message}` });
  });
  out.end(body);
}

function sessionHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of [SESSION_CLIENT_HEADER, SESSION_SEQ_HEADER]) {
    const v = req.headers[h];
    if (typeof v === "string") out[h] = v;
  }
  return out;
}
