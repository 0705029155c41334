import type { IncomingMessage, ServerResponse } from "node:http";

/** A request the node refuses, with the status and message the client sees. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Request bodies above this are refused with 413. */
export const BODY_BYTES_MAX = 1024 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  // A flat header list skips building and walking a headers object on every answer.
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** Collects the body; calls back once, with an error (413 over the limit, a broken stream) or the bytes. */
export function readBody(req: IncomingMessage, done: (err: Error | null, body: Buffer) => void): void {
  const tooLarge = () => new HttpError(413, `request body exceeds the limit of ${BODY_BYTES_MAX} bytes (1 MiB)`);
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > BODY_BYTES_MAX) {
    req.resume();
    done(tooLarge(), EMPTY);
    return;
  }
  let chunks: Buffer[] | null = [];
  let bytes = 0;
  req.on("data", (chunk: Buffer) => {
    if (chunks === null) return;
    bytes += chunk.length;
    if (bytes > BODY_BYTES_MAX) {
      chunks = null;
      done(tooLarge(), EMPTY);
      return;
    }
    chunks.push(chunk);
  });
  req.on("end", () => {
    if (chunks === null) return;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    chunks = null;
    done(null, body);
  });
  req.on("error", (err) => {
    if (chunks === null) return;
    chunks = null;
    done(err, EMPTY);
  });
}

const EMPTY = Buffer.alloc(0);

type FieldKind = "string" | "string|null" | "integer" | "array";

/** Parses a JSON object with exactly these fields (all required); names the first problem. */
export function parseFields(body: Buffer, fields: Record<string, FieldKind>): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (err) {
    throw new HttpError(400, `malformed JSON body: ${(err as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new HttpError(400, "body must be a JSON object");
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!(key in fields)) throw new HttpError(400, `unknown field ${JSON.stringify(key)}; expected ${Object.keys(fields).join(", ")}`);
  }
  for (const [key, kind] of Object.entries(fields)) {
    if (!(key in o)) throw new HttpError(400, `missing field ${JSON.stringify(key)}`);
    const v = o[key];
    const ok =
      kind === "string"
        ? typeof v === "string"
        : kind === "string|null"
          ? typeof v === "string" || v === null
          : kind === "integer"
            ? Number.isSafeInteger(v)
            : Array.isArray(v);
    if (!ok)
      throw new HttpError(
        400,
        `field ${JSON.stringify(key)} must be ${kind === "string|null" ? "a string or null" : `a${kind === "integer" ? "n" : ""} ${kind}`}`,
      );
  }
  return o;
}
