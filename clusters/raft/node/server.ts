import { createServer, type Server } from "node:http";
import { createApi } from "./api.js";
import type { NodeConfig } from "./config.js";
import type { Logger } from "./log.js";
import type { Replica } from "./replica.js";

/** Keep-alive connections idle this long are closed; clients reuse them across requests. */
const KEEP_ALIVE_MS = 65_000;

export async function startHttp(replica: Replica, cfg: NodeConfig, log: Logger): Promise<Server> {
  const server = createServer(createApi(replica, cfg, log));
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(cfg.httpPort, cfg.httpHost, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}
