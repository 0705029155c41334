import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Calibration } from "./measurements.js";

/**
 * The machine's own speed, measured beside a benchmark so that the gate can compare
 * ratios rather than absolute figures: a runner that syncs 5x more slowly makes our
 * write throughput and its fsync rate drop together. Three figures, each a short,
 * bounded loop:
 * - fsync: 4 KiB write + fdatasync, the cost that bounds every durable write;
 * - http: keep-alive GETs on loopback, the cost of a client request;
 * - cpu: a fixed integer loop, the cost of pure computation.
 */

const FSYNC_BLOCK_BYTES = 4096;
const HTTP_CONNECTIONS = 8;
const CPU_LOOP_ITERATIONS = 100_000;
/** No loop runs more iterations than this, whatever the clock says. */
const MAX_ITERATIONS = 10_000_000;

function fsyncPerSec(dir: string, durationMs: number): number {
  const path = join(dir, "calibrate.bin");
  const fd = openSync(path, "w");
  const block = Buffer.alloc(FSYNC_BLOCK_BYTES, 7);
  let count = 0;
  const started = performance.now();
  try {
    while (performance.now() - started < durationMs && count < MAX_ITERATIONS) {
      // Append, as a write-ahead log does, so every sync carries new data.
      writeSync(fd, block, 0, block.length, count * FSYNC_BLOCK_BYTES);
      fdatasyncSync(fd);
      count++;
    }
  } finally {
    closeSync(fd);
  }
  return count / ((performance.now() - started) / 1000);
}

function cpuLoopsPerSec(durationMs: number): number {
  let loops = 0;
  let x = 1;
  const started = performance.now();
  while (performance.now() - started < durationMs && loops < MAX_ITERATIONS) {
    for (let i = 0; i < CPU_LOOP_ITERATIONS; i++) x = Math.imul(x ^ (x >>> 13), 0x5bd1e995) + i;
    loops++;
  }
  // Keep x alive so the loop cannot be optimized away.
  if (x === 0.5) throw new Error("unreachable");
  return loops / ((performance.now() - started) / 1000);
}

async function httpPerSec(durationMs: number): Promise<number> {
  const server = createServer((_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: HTTP_CONNECTIONS });
  const get = () =>
    new Promise<void>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path: "/", agent }, (res) => {
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end();
    });
  let count = 0;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() - started < durationMs && count < MAX_ITERATIONS) {
      await get();
      count++;
    }
  };
  try {
    await Promise.all(Array.from({ length: HTTP_CONNECTIONS }, worker));
  } finally {
    agent.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return count / ((performance.now() - started) / 1000);
}

/**
 * One trial of each figure, about 3 x durationMs in all. `nearDir` should be on the
 * disk the cluster writes to (the bench's output folder), since fsync rates differ by disk.
 */
export async function calibrate(nearDir: string = tmpdir(), durationMs = 400): Promise<Calibration> {
  const dir = mkdtempSync(join(nearDir, "calibrate-"));
  try {
    return {
      fsyncPerSec: [fsyncPerSec(dir, durationMs)],
      httpPerSec: [await httpPerSec(durationMs)],
      cpuLoopsPerSec: [cpuLoopsPerSec(durationMs)],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Trials of two calibrations side by side. */
export function mergeCalibrations(a: Calibration, b: Calibration): Calibration {
  return {
    fsyncPerSec: [...a.fsyncPerSec, ...b.fsyncPerSec],
    httpPerSec: [...a.httpPerSec, ...b.httpPerSec],
    cpuLoopsPerSec: [...a.cpuLoopsPerSec, ...b.cpuLoopsPerSec],
  };
}
