import http from "node:http";

/**
 * POSTs JSON to etcd's gRPC gateway over HTTP/1.1 keep-alive and sorts every
 * ending into one of four replies, by what it proves about the request:
 * - ok: a 200 with a JSON body;
 * - rejected: etcd answered with an error body (its message and gRPC code);
 * - unsent: the request never reached the server (connection refused, or no
 *   connection yet when the deadline passed);
 * - unknown: it may have reached the server (reset, timeout after sending).
 */
export type GatewayReply =
  | { kind: "ok"; body: Record<string, unknown> }
  | { kind: "rejected"; status: number; message: string; grpcCode: number | null }
  | { kind: "unsent"; error: string }
  | { kind: "unknown"; error: string };

/** Errors raised before any byte of the request left this machine. */
const UNSENT_CODES = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EADDRNOTAVAIL"]);

export class Gateway {
  private readonly agent = new http.Agent({ keepAlive: true });
  private readonly url: URL;

  constructor(
    baseUrl: string,
    private readonly timeoutMs: number,
  ) {
    this.url = new URL(baseUrl);
  }

  post(path: string, body: unknown, timeoutMs = this.timeoutMs): Promise<GatewayReply> {
    const payload = JSON.stringify(body);
    return new Promise((resolve) => {
      let settled = false;
      const finish = (reply: GatewayReply) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(reply);
      };
      const request = http.request(
        {
          host: this.url.hostname,
          port: this.url.port,
          path,
          method: "POST",
          agent: this.agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => finish(parseResponse(response.statusCode ?? 0, Buffer.concat(chunks).toString("utf8"))));
          response.on("error", (error) => finish({ kind: "unknown", error: `response: ${error.message}` }));
        },
      );
      const timer = setTimeout(() => {
        // Still connecting means nothing was sent; once connected, the server may have it.
        const connected = request.socket !== null && request.socket !== undefined && !request.socket.connecting;
        request.destroy();
        const error = `no answer from ${this.url.host} within ${timeoutMs} ms`;
        finish(connected ? { kind: "unknown", error } : { kind: "unsent", error: `${error} (not connected)` });
      }, timeoutMs);
      request.on("error", (error: NodeJS.ErrnoException) => {
        const code = error.code ?? error.message;
        finish(UNSENT_CODES.has(code) ? { kind: "unsent", error: code } : { kind: "unknown", error: code });
      });
      request.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function parseResponse(status: number, text: string): GatewayReply {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const isObject = typeof body === "object" && body !== null;
  if (status === 200) {
    // A 200 we cannot read: the request ran, its result is lost to us.
    return isObject
      ? { kind: "ok", body: body as Record<string, unknown> }
      : { kind: "unknown", error: `unreadable 200 body: ${text.slice(0, 200)}` };
  }
  if (isObject) {
    const fields = body as { error?: unknown; message?: unknown; code?: unknown };
    const message = String(fields.message ?? fields.error ?? `HTTP ${status}`);
    return { kind: "rejected", status, message, grpcCode: typeof fields.code === "number" ? fields.code : null };
  }
  return { kind: "rejected", status, message: `HTTP ${status}: ${text.trim().slice(0, 200)}`, grpcCode: null };
}
