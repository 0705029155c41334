import { type Agent, request } from "node:http";

/**
 * One `PUT /v1/kv/:key` over a keep-alive agent, for write loops that count
 * answers rather than judge them (benchmarks, soaks): the status, 0 when the
 * request failed or timed out, and the log index the answer names (0 when none).
 */
export function putKv(
  agent: Agent,
  base: string,
  key: string,
  value: string,
  timeoutMs?: number,
): Promise<{ status: number; index: number }> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ value });
    const req = request(
      `${base}/v1/kv/${key}`,
      {
        method: "PUT",
        agent,
        timeout: timeoutMs,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          let index = 0;
          try {
            index = (JSON.parse(Buffer.concat(chunks).toString()) as { index?: number }).index ?? 0;
          } catch {
            // Not JSON: a refusal's text; the status says what happened.
          }
          resolve({ status: res.statusCode ?? 0, index });
        });
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve({ status: 0, index: 0 }));
    req.end(body);
  });
}
