import Fastify, { type FastifyInstance } from "fastify";
import { HISTORY_FORMATS } from "../history/source.js";
import { distPath } from "../paths.js";
import { MODEL_NAMES, MODELS } from "./catalog.js";
import { CheckService } from "./checks.js";
import { errorHandler } from "./errors.js";
import { Metrics } from "./metrics.js";
import { openapiDocument } from "./openapi.js";
import type { ServiceOptions } from "./options.js";
import { WorkerPool } from "./pool.js";
import { checksRoutes } from "./routes/checks.js";
import { opsRoutes } from "./routes/ops.js";
import { runsRoutes } from "./routes/runs.js";
import { uiRoutes } from "./routes/ui.js";
import { RunIndex } from "./runs.js";
import { CheckStore } from "./store.js";

const VERSION = "0.1.0";

/** Beyond a check's budget, how long its worker may take to answer before it is stopped. */
const WORKER_GRACE_MS = 10_000;

/**
 * The whole service as one Fastify instance, not yet listening: tests drive it
 * with inject(), `tob serve` calls listen(). Closing it stops the workers.
 */
export async function buildService(opts: ServiceOptions, log: (msg: string) => void = () => undefined): Promise<FastifyInstance> {
  const store = new CheckStore(opts.storeDir, opts.checksStoredMax);
  await store.load();
  const pool = new WorkerPool({
    workerFile: distPath("src/service/worker.js"),
    size: opts.workers,
    queueMax: opts.queueMax,
    workerHeapMb: opts.workerHeapMb,
    graceMs: WORKER_GRACE_MS,
  });
  const metrics = new Metrics();
  const checks = new CheckService(store, pool, metrics, log);
  const runs = new RunIndex(opts.resultsDir);

  const app = Fastify({ logger: false, bodyLimit: opts.bodyLimitBytes, return503OnClosing: true });
  app.setErrorHandler(errorHandler(opts.bodyLimitBytes, metrics, log));
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `no route ${req.method} ${req.url.split("?")[0]}` }));
  app.addHook("onSend", async (_req, reply) => {
    reply.header("x-content-type-options", "nosniff");
  });
  app.addHook("onClose", async () => pool.close());

  const formats = HISTORY_FORMATS;
  await app.register(checksRoutes, { opts, checks, store, metrics, models: MODEL_NAMES, formats });
  await app.register(runsRoutes, { runs });
  await app.register(opsRoutes, { pool, store, metrics, models: MODELS, formats, openapi: openapiDocument(opts, formats, VERSION) });
  await app.register(uiRoutes);
  return app;
}
