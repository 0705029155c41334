import { createReadStream } from "node:fs";
import type { FastifyInstance } from "fastify";
import { type RunFilter, type RunIndex, RUN_PAGES, type RunPage } from "../runs.js";
import { runParamsSchema, runsQuerySchema } from "../schemas.js";

interface RunParams {
  test: string;
  ts: string;
}

/** The runs `tob run` stored: a filtered list, one run's results.json, and its pages as they are. */
export async function runsRoutes(app: FastifyInstance, deps: { runs: RunIndex }): Promise<void> {
  const { runs } = deps;

  app.get<{ Querystring: RunFilter }>("/api/runs", { schema: { querystring: runsQuerySchema } }, async (req) => {
    return { runs: await runs.list(req.query) };
  });

  app.get<{ Params: RunParams }>("/api/runs/:test/:ts", { schema: { params: runParamsSchema } }, async (req, reply) => {
    const text = await runs.results(req.params.test, req.params.ts);
    if (text === undefined) return reply.code(404).send({ error: `no run ${req.params.test}/${req.params.ts}` });
    // Served as stored: re-encoding a large results.json would only cost time.
    return reply.type("application/json; charset=utf-8").send(text);
  });

  for (const page of RUN_PAGES) {
    app.get<{ Params: RunParams }>(`/api/runs/:test/:ts/${page}`, { schema: { params: runParamsSchema } }, async (req, reply) => {
      const path = await runs.pagePath(req.params.test, req.params.ts, page as RunPage);
      if (!path) return reply.code(404).send({ error: `run ${req.params.test}/${req.params.ts} has no ${page}` });
      return reply.type("text/html; charset=utf-8").send(createReadStream(path));
    });
  }
}
