import type { FastifyInstance } from "fastify";
import { checkerList } from "../../../checkers/registry/index.js";
import type { Metrics } from "../metrics.js";
import type { WorkerPool } from "../pool.js";
import type { CheckStore } from "../store.js";

export interface OpsDeps {
  pool: WorkerPool;
  store: CheckStore;
  metrics: Metrics;
  models: readonly { name: string; summary: string }[];
  formats: readonly string[];
  openapi: object;
}

/** What operators and clients look at besides checks and runs. */
export async function opsRoutes(app: FastifyInstance, deps: OpsDeps): Promise<void> {
  const { pool, store, metrics } = deps;
  const startedMs = Date.now();

  app.get("/healthz", async () => ({
    status: "ok",
    uptimeS: Math.round((Date.now() - startedMs) / 1000),
    queueDepth: pool.queueDepth,
    running: pool.running,
  }));

  app.get("/metrics", async (_req, reply) => {
    const text = metrics.render({ queueDepth: pool.queueDepth, running: pool.running, stored: store.size });
    return reply.type("text/plain; version=0.0.4; charset=utf-8").send(text);
  });

  app.get("/api/models", async () => ({ checkers: checkerList(), models: deps.models, formats: deps.formats }));

  app.get("/api/openapi.json", async () => deps.openapi);
}
