import { availableParallelism } from "node:os";
import { join } from "node:path";

/** Everything `tob serve` can be told; every limit has a default and a flag. */
export interface ServiceOptions {
  host: string;
  port: number;
  /** Where `tob run` writes `<test>/<timestamp>/` folders. */
  resultsDir: string;
  /** Where finished checks persist (one JSON file, and maybe a timeline, per check). */
  storeDir: string;
  /** Largest accepted request body; larger ones get 413 naming this figure. */
  bodyLimitBytes: number;
  /** Bodies up to this size are answered with the result at once, larger ones with 202. */
  syncMaxBytes: number;
  /** Time budget of a check when the request does not name one. */
  checkTimeoutDefaultS: number;
  /** The most a request may ask for. */
  checkTimeoutMaxS: number;
  /** Checks running at once, one worker thread each. */
  workers: number;
  /** Checks waiting for a worker; past it, 429 with Retry-After. */
  queueMax: number;
  /** Finished checks kept (memory and disk); the oldest are evicted first. */
  checksStoredMax: number;
  /** Heap of one worker; a history that needs more fails alone, not the service. */
  workerHeapMb: number;
}

export function defaultOptions(resultsDir = "results"): ServiceOptions {
  return {
    host: "127.0.0.1",
    port: 8080,
    resultsDir,
    // A dot folder, so the runs scanner (which skips dot names) never mistakes it for a test.
    storeDir: join(resultsDir, ".service", "checks"),
    bodyLimitBytes: 32 * 1024 * 1024,
    syncMaxBytes: 256 * 1024,
    checkTimeoutDefaultS: 30,
    checkTimeoutMaxS: 600,
    // Leave one core to the event loop, which must stay responsive while checks run.
    workers: Math.max(1, Math.min(4, availableParallelism() - 1)),
    queueMax: 64,
    checksStoredMax: 1000,
    workerHeapMb: 1024,
  };
}
