import { readFile } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import { parseModels } from "../../../checkers/elle/models.js";
import { CHECKER_NAMES, checkerNamed } from "../../../checkers/registry/index.js";
import { InputError } from "../../history/input-error.js";
import type { CheckService } from "../checks.js";
import type { Metrics } from "../metrics.js";
import { QueueFullError } from "../pool.js";
import type { ServiceOptions } from "../options.js";
import type { CheckRecord } from "../record.js";
import { checkIdParamsSchema, checkQuerySchema } from "../schemas.js";
import type { CheckStore } from "../store.js";
import { checkView } from "../view.js";

export interface ChecksDeps {
  opts: ServiceOptions;
  checks: CheckService;
  store: CheckStore;
  metrics: Metrics;
  models: readonly string[];
  formats: readonly string[];
}

interface CheckQuery {
  checker?: string;
  model?: string;
  consistencyModels?: string;
  timeout?: number;
  format?: string;
  initial?: string;
}

/**
 * POST /api/checks and the look-ups of a check. Registered as its own plugin:
 * the body is a history in any format, so every content type is read as text.
 */
export async function checksRoutes(app: FastifyInstance, deps: ChecksDeps): Promise<void> {
  const { opts, checks, store, metrics, models } = deps;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));

  app.post<{ Querystring: CheckQuery; Body: string }>(
    "/api/checks",
    { bodyLimit: opts.bodyLimitBytes, schema: { querystring: checkQuerySchema(deps.formats, opts.checkTimeoutMaxS) } },
    async (req, reply) => {
      const { checker, model, timeout, format, initial } = req.query;
      const refuse = (error: string, extra: object = {}) => {
        metrics.checkRejected("bad_request");
        return reply.code(400).send({ error, ...extra });
      };
      let checkerName: string | undefined;
      let consistencyModels: string[] | undefined;
      try {
        // a model names a linearizability check, as `tob check --model` does
        checkerName = checker === undefined ? (model === undefined ? undefined : "linearizable") : checkerNamed(checker).name;
        consistencyModels =
          req.query.consistencyModels === undefined
            ? undefined
            : parseModels(
                req.query.consistencyModels
                  .split(",")
                  .map((m) => m.trim())
                  .filter((m) => m !== ""),
              );
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        return refuse(err.message, { knownCheckers: CHECKER_NAMES });
      }
      // "elle" stays as asked: the worker picks list-append or rw-register from the ops
      if (checker === "elle") checkerName = "elle";
      if (model !== undefined && !models.includes(model))
        return refuse(`unknown model ${JSON.stringify(model)}; known models: ${models.join(", ")}`, { knownModels: models });
      if (model !== undefined && checkerName !== "linearizable")
        return refuse(`the query parameter "model" is for the linearizable checker, not ${checkerName}`);
      if (typeof req.body !== "string" || req.body.trim() === "") {
        return refuse("the request body is empty: send a history (JSONL, EDN or a Porcupine log) as the body");
      }
      const sync = Buffer.byteLength(req.body) <= opts.syncMaxBytes;
      let submitted;
      try {
        submitted = checks.submit(
          req.body,
          { checker: checkerName, model, consistencyModels, format, initial, timeoutS: timeout ?? opts.checkTimeoutDefaultS },
          { dropIfRefused: sync },
        );
      } catch (err) {
        if (!(err instanceof QueueFullError)) throw err;
        metrics.checkRejected("queue_full");
        return reply
          .code(429)
          .header("retry-after", String(err.retryAfterS))
          .send({
            error: `the check queue is full (${opts.queueMax} waiting); retry in ${err.retryAfterS} s`,
            retryAfterS: err.retryAfterS,
          });
      }
      const location = `/api/checks/${submitted.record.id}`;
      if (!sync) return reply.code(202).header("location", location).send(checkView(submitted.record));
      const record = await submitted.finished;
      return reply.code(statusOf(record)).header("location", location).send(answerOf(record));
    },
  );

  app.get<{ Params: { id: string } }>("/api/checks/:id", { schema: { params: checkIdParamsSchema } }, async (req, reply) => {
    const record = store.get(req.params.id);
    if (!record)
      return reply
        .code(404)
        .send({ error: `no check ${req.params.id} (never made, or evicted: the service keeps ${opts.checksStoredMax})` });
    return checkView(record);
  });

  app.get<{ Params: { id: string } }>("/api/checks/:id/timeline", { schema: { params: checkIdParamsSchema } }, async (req, reply) => {
    const record = store.get(req.params.id);
    if (!record) return reply.code(404).send({ error: `no check ${req.params.id}` });
    if (!record.hasTimeline) {
      const why =
        record.status === "queued" || record.status === "running" ? "the check has not finished" : "the check produced no timeline";
      return reply.code(404).send({ error: `no timeline for check ${record.id}: ${why}` });
    }
    const html = await readFile(store.timelinePath(record.id), "utf8").catch(() => undefined);
    if (html === undefined) return reply.code(404).send({ error: `the timeline of check ${record.id} is gone from disk` });
    // The page shows uploaded data: a sandbox gives it an opaque origin, away from the API.
    return reply.type("text/html; charset=utf-8").header("content-security-policy", "sandbox allow-scripts").send(html);
  });
}

/** A check answered at once: its input was refused (400), it stopped (413/500/503), or it has a verdict. */
function statusOf(record: CheckRecord): number {
  if (record.status === "done") return 200;
  if (record.error?.reason === undefined) return 400;
  if (record.error.reason === "out-of-memory") return 413;
  if (record.error.reason === "shutdown") return 503;
  return 500;
}

function answerOf(record: CheckRecord) {
  if (record.status === "done") return checkView(record);
  const { message, line, reason } = record.error ?? { message: "the check failed" };
  // A refused body is not kept, so only a stopped check has an id worth naming.
  return { error: message, ...(line !== undefined ? { line } : {}), ...(reason !== undefined ? { id: record.id, reason } : {}) };
}
