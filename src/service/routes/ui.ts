import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import type { FastifyInstance } from "fastify";
import { PACKAGE_ROOT } from "../../paths.js";

/** The UI's files live beside the sources; dist/ has no copy, so both the CLI and tests read them here. */
export const UI_DIR = join(PACKAGE_ROOT, "src", "service", "ui");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

/**
 * Serves the web UI: plain HTML, CSS and JS, read once at start. Only the
 * files found then are served, so no request path ever reaches the disk.
 */
export async function uiRoutes(app: FastifyInstance): Promise<void> {
  const files = new Map<string, { type: string; body: Buffer }>();
  for (const name of readdirSync(UI_DIR)) {
    const type = TYPES[extname(name)];
    if (type) files.set(name, { type, body: readFileSync(join(UI_DIR, name)) });
  }
  if (!files.has("index.html")) throw new Error(`tob serve: the UI is missing from ${UI_DIR}`);

  app.get("/", async (_req, reply) => reply.redirect("/ui/"));
  app.get<{ Params: { file?: string } }>("/ui/:file?", async (req, reply) => {
    const file = files.get(req.params.file || "index.html");
    if (!file) return reply.code(404).send({ error: `no UI page ${req.params.file}` });
    return reply.type(file.type).header("cache-control", "no-cache").send(file.body);
  });
}
