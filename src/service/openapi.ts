import type { ServiceOptions } from "./options.js";
import {
  checkIdParamsSchema,
  checkQuerySchema,
  checkSchema,
  errorSchema,
  runParamsSchema,
  runsQuerySchema,
  runSummarySchema,
} from "./schemas.js";

type ObjectSchema = { properties: Record<string, object>; required?: readonly string[] };

/** OpenAPI parameters from the same JSON schema the route validates with. */
function params(where: "query" | "path", schema: ObjectSchema) {
  return Object.entries(schema.properties).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || (schema.required ?? []).includes(name),
    schema: s,
  }));
}

const json = (schema: object, description: string) => ({ description, content: { "application/json": { schema } } });
const html = (description: string) => ({ description, content: { "text/html": { schema: { type: "string" } } } });
const err = (description: string) => json({ $ref: "#/components/schemas/Error" }, description);

/** The service's OpenAPI 3.0 description, served at /api/openapi.json. */
export function openapiDocument(opts: ServiceOptions, formats: readonly string[], version: string) {
  const check = { $ref: "#/components/schemas/Check" };
  return {
    openapi: "3.0.3",
    info: {
      title: "tob checker service",
      version,
      description: "Checks histories with any checker (linearizable, total-order, Elle) and browses the runs of `tob run`.",
    },
    components: { schemas: { Check: checkSchema, Error: errorSchema, RunSummary: runSummarySchema } },
    paths: {
      "/api/checks": {
        post: {
          summary: "Check a history",
          description: `The body is a history (JSONL, EDN or a Porcupine log, detected from the content). Bodies up to ${opts.syncMaxBytes} bytes are answered with the result; larger ones with 202 and the check's id.`,
          parameters: params("query", checkQuerySchema(formats, opts.checkTimeoutMaxS)),
          requestBody: { required: true, content: { "text/plain": { schema: { type: "string" } }, "*/*": { schema: { type: "string" } } } },
          responses: {
            200: json(check, 'Checked: `valid` is true, false or "unknown"; a violation carries its counterexample in `result`.'),
            202: json(check, "Accepted; poll the Location (GET /api/checks/{id})."),
            400: err(
              "Unknown checker or model (the known ones are named), a history whose ops do not fit the checker (with the line and field), or a bad parameter.",
            ),
            413: err(`Body larger than the limit (${opts.bodyLimitBytes} bytes), or a check that needed more memory than a worker has.`),
            429: err("The queue is full; the Retry-After header says when to try again."),
          },
        },
      },
      "/api/checks/{id}": {
        get: {
          summary: "A check's status, progress and result",
          parameters: params("path", checkIdParamsSchema),
          responses: { 200: json(check, "The check"), 404: err("No such check (or evicted)") },
        },
      },
      "/api/checks/{id}/timeline": {
        get: {
          summary: "The check's timeline (the counterexample view for a violation)",
          parameters: params("path", checkIdParamsSchema),
          responses: { 200: html("Self-contained HTML"), 404: err("No such check, or no timeline yet") },
        },
      },
      "/api/models": {
        get: {
          summary: "The checkers, the linearizability models and the history formats the service knows",
          responses: { 200: json({ type: "object" }, "Names") },
        },
      },
      "/api/runs": {
        get: {
          summary: "Runs stored by `tob run`, newest first",
          parameters: params("query", runsQuerySchema),
          responses: {
            200: json(
              { type: "object", properties: { runs: { type: "array", items: { $ref: "#/components/schemas/RunSummary" } } } },
              "Runs",
            ),
          },
        },
      },
      "/api/runs/{test}/{ts}": {
        get: {
          summary: "A run's results.json, as stored",
          parameters: params("path", runParamsSchema),
          responses: { 200: json({ type: "object" }, "results.json"), 404: err("No such run") },
        },
      },
      "/api/runs/{test}/{ts}/report.html": {
        get: {
          summary: "A run's report, as stored",
          parameters: params("path", runParamsSchema),
          responses: { 200: html("report.html"), 404: err("No report") },
        },
      },
      "/api/runs/{test}/{ts}/timeline.html": {
        get: {
          summary: "A run's timeline, as stored",
          parameters: params("path", runParamsSchema),
          responses: { 200: html("timeline.html"), 404: err("No timeline") },
        },
      },
      "/healthz": { get: { summary: "Liveness, with the queue's state", responses: { 200: json({ type: "object" }, "ok") } } },
      "/metrics": {
        get: {
          summary: "Prometheus metrics",
          responses: { 200: { description: "Prometheus text format 0.0.4", content: { "text/plain": { schema: { type: "string" } } } } },
        },
      },
    },
  };
}
