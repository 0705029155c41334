import { join } from "node:path";
import { type Command, Option } from "commander";
import { EXIT_VALID } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { defaultOptions, type ServiceOptions } from "../service/options.js";
import { buildService } from "../service/server.js";
import { action } from "./action.js";
import { integerIn, parsedOption, positiveNumber, sizeBytes } from "./flags.js";

interface ServeFlags {
  port: number;
  host: string;
  results: string;
  store?: string;
  bodyLimit: number;
  syncMax: number;
  timeout: number;
  maxTimeout: number;
  workers: number;
  queue: number;
  maxChecks: number;
  workerHeap: number;
}

const SECONDS_MAX = 24 * 3600;

export function registerServe(program: Command): void {
  const d = defaultOptions();
  program
    .command("serve")
    .description("serve the checker API and the web UI (runs browser, history checks)")
    .addOption(parsedOption("--port <n>", "TCP port", integerIn(0, 65535), d.port))
    .option("--host <addr>", "address to listen on", d.host)
    .option("--results <dir>", "runs folder of `tob run`", d.resultsDir)
    .addOption(new Option("--store <dir>", "where finished checks persist").default(undefined, "<results>/.service/checks"))
    .addOption(parsedOption("--body-limit <size>", "largest request body (bytes, or with k/m/g)", sizeBytes, d.bodyLimitBytes))
    .addOption(
      parsedOption("--sync-max <size>", "bodies up to this size are answered at once, larger ones with 202", sizeBytes, d.syncMaxBytes),
    )
    .addOption(
      parsedOption("--timeout <s>", "default time budget of a check, seconds", positiveNumber(SECONDS_MAX), d.checkTimeoutDefaultS),
    )
    .addOption(
      parsedOption(
        "--max-timeout <s>",
        "the largest budget a request may ask for, seconds",
        positiveNumber(SECONDS_MAX),
        d.checkTimeoutMaxS,
      ),
    )
    .addOption(parsedOption("--workers <n>", "checks running at once (worker threads)", integerIn(1, 64), d.workers))
    .addOption(parsedOption("--queue <n>", "checks waiting for a worker before 429", integerIn(0, 100_000), d.queueMax))
    .addOption(parsedOption("--max-checks <n>", "finished checks kept, oldest evicted first", integerIn(1, 1_000_000), d.checksStoredMax))
    .addOption(parsedOption("--worker-heap <mb>", "heap limit of one check worker, MiB", integerIn(64, 65536), d.workerHeapMb))
    .action(action(async (flags: ServeFlags) => serve(toOptions(flags))));
}

function toOptions(f: ServeFlags): ServiceOptions {
  const opts: ServiceOptions = {
    host: f.host,
    port: f.port,
    resultsDir: f.results,
    storeDir: f.store ?? join(f.results, ".service", "checks"),
    bodyLimitBytes: f.bodyLimit,
    syncMaxBytes: f.syncMax,
    checkTimeoutDefaultS: f.timeout,
    checkTimeoutMaxS: f.maxTimeout,
    workers: f.workers,
    queueMax: f.queue,
    checksStoredMax: f.maxChecks,
    workerHeapMb: f.workerHeap,
  };
  if (opts.checkTimeoutDefaultS > opts.checkTimeoutMaxS)
    throw new InputError(`--timeout ${opts.checkTimeoutDefaultS} is above --max-timeout ${opts.checkTimeoutMaxS}`);
  return opts;
}

/** Listens until SIGINT or SIGTERM, then lets running requests finish and stops the workers. */
async function serve(opts: ServiceOptions): Promise<number> {
  const app = await buildService(opts, (msg) => process.stderr.write(`tob serve: ${msg}\n`));
  let address: string;
  try {
    address = await app.listen({ host: opts.host, port: opts.port });
  } catch (err) {
    await app.close();
    const e = err as NodeJS.ErrnoException;
    if (e.code === "EADDRINUSE" || e.code === "EACCES" || e.code === "EADDRNOTAVAIL")
      throw new InputError(`cannot listen on ${opts.host}:${opts.port}: ${e.code}`);
    throw err;
  }
  process.stdout.write(
    `tob serve: listening on ${address}\n` +
      `  UI        ${address}/ui/\n  API       ${address}/api/openapi.json\n` +
      `  results   ${opts.resultsDir}   checks kept in ${opts.storeDir} (at most ${opts.checksStoredMax})\n` +
      `  limits    body ${opts.bodyLimitBytes} B, budget ${opts.checkTimeoutDefaultS} s (max ${opts.checkTimeoutMaxS}), ${opts.workers} workers, queue ${opts.queueMax}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  process.stdout.write("tob serve: stopping\n");
  await app.close();
  return EXIT_VALID;
}
