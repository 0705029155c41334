import { CHECK_ID_PATTERN } from "./record.js";
import { RUN_PART_PATTERN } from "./runs.js";

/**
 * JSON schemas shared by the routes (which validate with them) and by the
 * OpenAPI document (which publishes them), so the two cannot drift apart.
 */

export function checkQuerySchema(formats: readonly string[], timeoutMaxS: number) {
  return {
    type: "object",
    properties: {
      checker: {
        type: "string",
        minLength: 1,
        maxLength: 64,
        description:
          "The checker (GET /api/models lists them); absent: inferred from the ops (deliveries: total-order; txns: Elle; generate, echo, send/poll, final reads: the Maelstrom workload's; else linearizable).",
      },
      model: {
        type: "string",
        minLength: 1,
        maxLength: 64,
        description: "linearizable: the model to check against (GET /api/models lists them); absent: guessed from the ops.",
      },
      consistencyModels: {
        type: "string",
        maxLength: 1024,
        description: "elle: comma-separated consistency models to check against (default strict-serializable).",
      },
      timeout: {
        type: "number",
        exclusiveMinimum: 0,
        maximum: timeoutMaxS,
        description: 'Time budget in seconds; past it the verdict is "unknown".',
      },
      format: { type: "string", enum: [...formats], description: "Force the history format instead of detecting it." },
      initial: { type: "string", maxLength: 65536, description: "Initial model state as JSON, like `tob check --initial`." },
    },
  } as const;
}

export const checkIdParamsSchema = {
  type: "object",
  properties: { id: { type: "string", pattern: CHECK_ID_PATTERN } },
  required: ["id"],
} as const;

export const runParamsSchema = {
  type: "object",
  properties: {
    test: { type: "string", pattern: RUN_PART_PATTERN },
    ts: { type: "string", pattern: RUN_PART_PATTERN },
  },
  required: ["test", "ts"],
} as const;

export const runsQuerySchema = {
  type: "object",
  properties: {
    workload: { type: "string", maxLength: 128 },
    cluster: { type: "string", maxLength: 128 },
    verdict: { type: "string", enum: ["valid", "invalid", "unknown"] },
  },
} as const;

const verdictSchema = { description: 'true, false or "unknown"', oneOf: [{ type: "boolean" }, { type: "string", enum: ["unknown"] }] };

export const errorSchema = {
  type: "object",
  properties: {
    error: { type: "string" },
    line: { type: "integer" },
    limitBytes: { type: "integer" },
    knownModels: { type: "array", items: { type: "string" } },
    knownCheckers: { type: "array", items: { type: "string" } },
  },
  required: ["error"],
} as const;

export const checkSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    status: { type: "string", enum: ["queued", "running", "done", "failed"] },
    valid: { ...verdictSchema, nullable: true },
    checker: { type: "string" },
    model: { type: "string" },
    timeoutS: { type: "number" },
    bytes: { type: "integer" },
    ops: { type: "integer" },
    createdAt: { type: "string", format: "date-time" },
    startedAt: { type: "string", format: "date-time" },
    finishedAt: { type: "string", format: "date-time" },
    durationMs: { type: "number" },
    progress: {
      type: "object",
      properties: {
        phase: { type: "string" },
        ops: { type: "integer" },
        partitionsDone: { type: "integer" },
        partitionsTotal: { type: "integer" },
      },
    },
    result: {
      type: "object",
      description: "The checker's output: valid, and for a violation its counterexample.",
      additionalProperties: true,
    },
    error: { type: "object", properties: { message: { type: "string" }, line: { type: "integer" }, reason: { type: "string" } } },
    links: { type: "object", properties: { self: { type: "string" }, timeline: { type: "string" } } },
  },
  required: ["id", "status"],
} as const;

export const runSummarySchema = {
  type: "object",
  properties: {
    id: { type: "string", description: "<test>/<timestamp>" },
    test: { type: "string" },
    timestamp: { type: "string" },
    workload: { type: "string", nullable: true },
    cluster: { type: "string", nullable: true },
    nemesis: { type: "array", items: { type: "string" } },
    valid: { ...verdictSchema, nullable: true },
    throughputPerS: { type: "number", nullable: true },
    latencyMsP99: { type: "number", nullable: true },
    hasReport: { type: "boolean" },
    hasTimeline: { type: "boolean" },
  },
} as const;
