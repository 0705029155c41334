/**
 * Load on the checker service (`tob serve`), on loopback, for a bounded time:
 *   checks     autocannon POSTs a small valid history to /api/checks at 16 and
 *              64 connections: checks/s and latency p99
 *   healthz    /healthz latency while the service is idle, then while a long
 *              check (a budget of several seconds) runs: the event loop must
 *              stay responsive, since checks run in worker threads
 * The service runs in its own process, so the load generator does not share
 * its event loop. Prints a table and writes results/bench-serve.json.
 *
 *   npm run bench:serve          TOB_BENCH_S=5 per load (default)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PACKAGE_ROOT, distPath } from "../src/paths.js";
import { hardRegister, validRegister } from "../src/service/test/histories.js";
import { type LoadFigures, runLoad } from "./load.js";

const SECONDS = Number(process.env.TOB_BENCH_S ?? 5);
const CONNECTIONS = [16, 64];
const LONG_CHECK_S = Math.max(4, SECONDS + 2);
const STARTUP_MS_MAX = 15_000;

/** Starts `tob serve` on a free loopback port and resolves with its base URL. */
function startServer(resultsDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [distPath("src/cli.js"), "serve", "--port", "0", "--results", resultsDir, "--queue", "256", "--max-timeout", "60"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("tob serve did not start")), STARTUP_MS_MAX);
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.once("exit", (code) => reject(new Error(`tob serve exited with ${code}`)));
  });
}

interface Row {
  name: string;
  connections: number;
  figures: LoadFigures;
}

function line(r: Row): string {
  const f = r.figures;
  return `${r.name.padEnd(26)} ${String(r.connections).padStart(4)}  ${f.okPerSec.toFixed(0).padStart(8)}/s  p50 ${f.latencyMsP50.toFixed(1).padStart(6)} ms  p99 ${f.latencyMsP99.toFixed(1).padStart(6)} ms  non-2xx ${f.non2xxCount}  errors ${f.errorCount}`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tob-bench-serve-"));
  const { child, url } = await startServer(join(dir, "results"));
  const rows: Row[] = [];
  const history = validRegister();
  try {
    // Warm the workers and the JIT so the first load does not pay for start-up.
    await runLoad({
      url,
      connections: 4,
      durationSec: 1,
      template: { method: "POST", path: () => "/api/checks?model=register", body: () => history },
    });
    for (const connections of CONNECTIONS) {
      const figures = await runLoad({
        url,
        connections,
        durationSec: SECONDS,
        template: { method: "POST", path: () => "/api/checks?model=register", body: () => history },
      });
      rows.push({ name: "POST /api/checks (4 ops)", connections, figures });
      console.log(line(rows.at(-1)!));
    }
    const healthz = { method: "GET" as const, path: () => "/healthz" };
    const idle = await runLoad({ url, connections: 4, durationSec: Math.min(3, SECONDS), template: healthz });
    rows.push({ name: "GET /healthz, idle", connections: 4, figures: idle });
    console.log(line(rows.at(-1)!));
    // A check that runs until its budget ends: every order of 24 concurrent writes.
    const t0 = performance.now();
    const long = fetch(`${url}/api/checks?model=register&timeout=${LONG_CHECK_S}`, { method: "POST", body: hardRegister(24) }).then(
      async (res) => ({
        status: res.status,
        valid: ((await res.json()) as { valid: unknown }).valid,
        seconds: (performance.now() - t0) / 1000,
      }),
    );
    const busy = await runLoad({ url, connections: 4, durationSec: Math.min(3, SECONDS), template: healthz });
    rows.push({ name: "GET /healthz, long check", connections: 4, figures: busy });
    console.log(line(rows.at(-1)!));
    const longCheck = await long;
    console.log(
      `long check: ${longCheck.status}, valid ${String(longCheck.valid)} after ${longCheck.seconds.toFixed(1)} s (budget ${LONG_CHECK_S} s)`,
    );
    const out = join(PACKAGE_ROOT, "results", "bench-serve.json");
    mkdirSync(join(PACKAGE_ROOT, "results"), { recursive: true });
    writeFileSync(out, JSON.stringify({ node: process.version, seconds: SECONDS, rows, longCheck }, null, 2) + "\n");
    console.log(`wrote ${out}`);
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
