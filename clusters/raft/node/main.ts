import { ConfigError, parseNodeArgs } from "./config.js";
import { createLogger } from "./log.js";
import { Replica } from "./replica.js";
import { startHttp } from "./server.js";
import { WalCorruptError } from "./wal.js";
import { SnapshotCorruptError } from "./snapshots.js";

/**
 * One Raft node as one OS process: `node main.js --config FILE [--bug NAME]`.
 * Logs go to stderr. Exits 2 on a bad config, 1 when it cannot start (a
 * corrupt write-ahead log, a port in use).
 */

/** Returns an exit code when the node cannot start, or null once it serves. */
async function main(): Promise<number | null> {
  let args;
  try {
    args = parseNodeArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`tob node: ${err.message}\n`);
    return 2;
  }
  const cfg = args.config;
  const log = createLogger(cfg.id);
  let replica: Replica;
  try {
    replica = new Replica(cfg, log);
    await replica.start();
    await startHttp(replica, cfg, log);
  } catch (err) {
    const damaged = err instanceof WalCorruptError || err instanceof SnapshotCorruptError;
    const detail = damaged ? err.message : ((err as Error).stack ?? String(err));
    log("error", `cannot start: ${detail}`);
    return 1;
  }
  log(
    "info",
    `serving http on ${cfg.httpHost}:${cfg.httpPort}, peers on ${cfg.peerListen}${cfg.bugs.length ? `, BUGS ON: ${cfg.bugs.join(", ")}` : ""}`,
  );
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      log("info", `${signal}: stopping`);
      replica.close();
      process.exit(0);
    });
  }
  if (args.exitWithParent) {
    process.stdin.on("end", () => {
      log("info", "stdin closed: the parent is gone, stopping");
      process.exit(0);
    });
    process.stdin.resume();
  }
  return null;
}

const code = await main();
if (code !== null) process.exit(code);
