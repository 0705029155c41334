import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { Metrics } from "./metrics.js";

/** Every error leaves as JSON `{error}`; only our own bugs are 500s, and those are logged. */
export function errorHandler(bodyLimitBytes: number, metrics: Metrics, log: (msg: string) => void) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      metrics.checkRejected("too_large");
      return reply.code(413).send({
        error: `the request body is larger than the limit of ${bodyLimitBytes} bytes (${mib(bodyLimitBytes)}); the service's --body-limit sets it`,
        limitBytes: bodyLimitBytes,
      });
    }
    if (err.validation) return reply.code(400).send({ error: err.message });
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send({ error: err.message });
    log(`${req.method} ${req.url}: ${err.stack ?? err.message}`);
    return reply.code(500).send({ error: "internal error" });
  };
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}
