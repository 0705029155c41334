import { join } from "node:path";
import { type Command, Option } from "commander";
import { EXIT_VALID } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { defaultOptions, type ServiceOptions } from "../service/options.js";
import { buildService } from "../service/server.js";
import { action } from "./action.js";

interface ServeFlags {
  port: string;
  host: string;
  results: string;
  store?: string;
  bodyLimit: string;
  syncMax: string;
  timeout: string;
  maxTimeout: string;
  workers: string;
  queue: string;
  maxChecks: string;
  workerHeap: string;
}

export function registerServe(program: Command): void {
  const d = defaultOptions();
  program
    .command("serve")
    .description("serve the checker API and the web UI (runs browser, history checks)")
    .option("--port <n>", "TCP port", String(d.port))
    .option("--host <addr>", "address to listen on", d.host)
    .option("--results <dir>", "runs folder of `tob run`", d.resultsDir)
    .addOption(new Option("--store <dir>", "where finished checks persist").default(undefined, "<results>/.service/checks"))
    .option("--body-limit <size>", "largest request body (bytes, or with k/m/g)", String(d.bodyLimitBytes))
    .option("--sync-max <size>", "bodies up to this size are answered at once, larger ones with 202", String(d.syncMaxBytes))
    .option("--timeout <s>", "default time budget of a check, seconds", String(d.checkTimeoutDefaultS))
    .option("--max-timeout <s>", "the largest budget a request may ask for, seconds", String(d.checkTimeoutMaxS))
    .option("--workers <n>", "checks running at once (worker threads)", String(d.workers))
    .option("--queue <n>", "checks waiting for a worker before 429", String(d.queueMax))
    .option("--max-checks <n>", "finished checks kept, oldest evicted first", String(d.checksStoredMax))
    .option("--worker-heap <mb>", "heap limit of one check worker, MiB", String(d.workerHeapMb))
    .action(action(async (flags: ServeFlags) => serve(toOptions(flags))));
}

function toOptions(f: ServeFlags): ServiceOptions {
  const opts: ServiceOptions = {
    host: f.host,
    port: int("--port", f.port, 0, 65535),
    resultsDir: f.results,
    storeDir: f.store ?? join(f.results, ".service", "checks"),
    bodyLimitBytes: size("--body-limit", f.bodyLimit),
    syncMaxBytes: size("--sync-max", f.syncMax),
    checkTimeoutDefaultS: seconds("--timeout", f.timeout),
    checkTimeoutMaxS: seconds("--max-timeout", f.maxTimeout),
    workers: int("--workers", f.workers, 1, 64),
    queueMax: int("--queue", f.queue, 0, 100_000),
    checksStoredMax: int("--max-checks", f.maxChecks, 1, 1_000_000),
    workerHeapMb: int("--worker-heap", f.workerHeap, 64, 65536),
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

function int(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InputError(`${flag}: expected an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
}

function seconds(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new InputError(`${flag}: expected a positive number of seconds, got ${JSON.stringify(text)}`);
  return n;
}

const UNITS: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

function size(flag: string, text: string): number {
  const m = /^(\d+)\s*([kmg]?)i?b?$/i.exec(text.trim());
  if (!m) throw new InputError(`${flag}: expected a size like 1048576, 512k or 32m, got ${JSON.stringify(text)}`);
  const bytes = Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
  if (bytes < 1) throw new InputError(`${flag}: must be at least 1 byte`);
  return bytes;
}
