import { existsSync, readFileSync } from "node:fs";
import { execa } from "execa";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { checkPerf } from "../../checkers/perf/index.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { builtCliPart, CHROMIUM_PATH, chromiumPart, describeWith, itWith } from "../../test/support/real.js";
import { NEMESIS, type Op } from "../history/op.js";
import { distPath } from "../paths.js";
import { seededRng } from "../rng.js";
import { writeReports } from "./index.js";
import { historyOf, writeRun, type OpSpec } from "./run-fixture.js";

/** Set TOB_KEEP_REPORT=1 to keep the run folders (and report.png) for a look. */
const KEEP = process.env.TOB_KEEP_REPORT === "1";
/** A 4 s run with 1 s of recovery, plus start, check and report, on a loaded machine. */
const REAL_RUN_TIMEOUT_MS = 90_000;

const PROCESSES = 5;
const RUN_MS = 10_000;
const PARTITION_MS: readonly [number, number] = [3000, 5000];

/**
 * 10 s of 5 clients: reads and writes of ~2 ms, slower with some fail and info
 * ops during a partition (3 s to 5 s); then a kill of n2 from 6 s to 7.5 s.
 */
function syntheticOps(): OpSpec[] {
  const rand = seededRng(7);
  const ops: OpSpec[] = [];
  for (let p = 0; p < PROCESSES; p++) {
    let t = rand() * 10;
    for (let n = 0; n < 10_000 && t < RUN_MS - 200; n++) {
      const inPartition = t >= PARTITION_MS[0] && t < PARTITION_MS[1];
      const roll = rand();
      const outcome = inPartition && roll < 0.1 ? "info" : inPartition && roll < 0.25 ? "fail" : "ok";
      const base = inPartition ? 20 + rand() * 200 : 1 + rand() * 3;
      const latencyMs = outcome === "info" ? 500 : rand() < 0.01 ? base * 20 : base;
      ops.push({ process: p, f: rand() < 0.6 ? "read" : "write", startMs: t, latencyMs, outcome });
      t += latencyMs + 5 + rand() * 20;
    }
  }
  const nemesis = (f: string, startMs: number, value?: unknown): OpSpec => ({
    process: "nemesis",
    f,
    startMs,
    latencyMs: 2,
    outcome: "info",
    value,
  });
  ops.push(nemesis("start-partition", PARTITION_MS[0], { shape: "halves", groups: [["n1"], ["n2", "n3"]] }));
  ops.push(nemesis("stop-partition", PARTITION_MS[1], { shape: "halves", groups: [["n1"], ["n2", "n3"]] }));
  ops.push(nemesis("kill", 6000, { nodes: ["n2"] }));
  ops.push(nemesis("restart", 7500, { nodes: ["n2"] }));
  return ops;
}

interface ChartInfo {
  id: string;
  points: number;
}

interface Loaded {
  errors: string[];
  charts: ChartInfo[];
  banner: { text: string; verdict: string | null };
}

/** Opens a report from file:// and gathers what the assertions need. */
async function open(browser: Browser, reportHtml: string): Promise<{ page: Page; loaded: Loaded }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  // The report must be self-contained: any request beyond the file itself is an error.
  page.on("request", (r) => {
    if (r.url() !== pathToFileURL(reportHtml).href) errors.push(`request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(reportHtml).href);
  await page.waitForFunction(() => (window as unknown as { __tobCharts?: unknown[] }).__tobCharts?.length === 3);
  const charts = await page.evaluate(() => (window as unknown as { __tobCharts: ChartInfo[] }).__tobCharts);
  const banner = await page.locator("#verdict").evaluate((el) => ({
    text: el.textContent ?? "",
    verdict: el.getAttribute("data-verdict"),
  }));
  return { page, loaded: { errors, charts, banner } };
}

describeWith([chromiumPart()], "report.html in headless Chromium", () => {
  let browser: Browser;
  const dirs: string[] = [];

  async function runDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "tob-report-"));
    dirs.push(dir);
    return dir;
  }

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (KEEP) console.log(`kept report run folders: ${dirs.join(" ")}`);
    else await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it("draws every chart with data, shows the verdict of results.json, and saves a screenshot", async () => {
    const dir = await runDir();
    const specs = syntheticOps();
    // Shaped as tob run writes them (src/controller/spec.ts, checkers/linearizability/check.ts).
    const results = {
      valid: false,
      results: {
        linearizability: {
          valid: false,
          model: "cas-register",
          "op-count": 2185,
          "time-ms": 41.2,
          "anomaly-types": ["nonlinearizable"],
          anomalies: [
            {
              type: "nonlinearizable",
              partition: "k3",
              text: "key k3: after write 4 (process 2) completed, process 0 read 3.\nNo order of the ops that overlap explains that read.",
            },
          ],
        },
        "total-order": { valid: true, lost: 0, duplicated: 0, reordered: 0 },
        // The real perf checker's output: nested figures and 2k plot points the JSON view must cut.
        perf: checkPerf(historyOf(specs)),
      },
    };
    await writeRun(dir, {
      test: {
        spec: {
          name: "register",
          workload: "register",
          cluster: "raft",
          nodes: 3,
          nemesis: ["partition", "kill"],
          time: 8,
          recoveryS: 2,
          concurrency: PROCESSES,
          rate: 300,
          seed: 7,
        },
        nodeIds: ["n1", "n2", "n3"],
        startedAt: "2026-11-22T01:02:03.456Z",
        versions: { tob: "0.1.0", node: "v20.19.0" },
      },
      history: historyOf(specs),
      results,
      timeline: true,
    });
    const { reportHtml } = await writeReports(dir);
    const { page, loaded } = await open(browser, reportHtml);

    expect(loaded.errors).toEqual([]);
    const clientOps = specs.filter((s) => s.process !== "nemesis").length;
    const byId = new Map(loaded.charts.map((c) => [c.id, c.points]));
    expect(byId.get("chart-latency")).toBe(clientOps);
    expect(byId.get("chart-quantiles")).toBeGreaterThanOrEqual(2 * 9); // p50 + p99, ~10 one-second buckets
    expect(byId.get("chart-throughput")).toBe(3 * 11); // ok, fail, info for 10 buckets and the closing point
    expect(await page.locator("#chart-latency canvas").count()).toBe(1);
    expect(await page.locator(".uplot").count()).toBe(3);

    expect(loaded.banner.verdict).toBe("invalid");
    expect(loaded.banner.text).toContain("INVALID");
    expect(loaded.banner.text).toContain("linearizability");
    expect(await page.locator('#checkers a[href="timeline.html"]').count()).toBe(1);
    expect(await page.locator("#checkers details").count()).toBe(3);
    expect(await page.locator("#checkers pre.explain").textContent()).toContain("process 0 read 3");
    expect(await page.locator(".stat", { hasText: "unavailable" }).count()).toBe(1);
    expect((await stat(reportHtml)).size).toBeLessThan(500_000);

    await page.screenshot({ path: join(dir, "report.png"), fullPage: true });
    expect(existsSync(join(dir, "report.png"))).toBe(true);
    await page.close();
  });

  it("still renders a partial run: no results, a torn last line, an unknown verdict", async () => {
    const dir = await runDir();
    const ops = historyOf([{ process: 0, f: "read", startMs: 10, latencyMs: 3 }]);
    await writeRun(dir, { history: ops.map((op) => JSON.stringify(op)).join("\n") + '\n{"index": 2, "ti' });
    const { reportHtml } = await writeReports(dir);
    const { page, loaded } = await open(browser, reportHtml);

    expect(loaded.errors).toEqual([]);
    expect(loaded.banner.verdict).toBe("unknown");
    expect(loaded.banner.text).toContain("UNKNOWN");
    expect(loaded.charts.find((c) => c.id === "chart-latency")?.points).toBe(1);
    const notes = await page.locator(".notes").textContent();
    expect(notes).toContain("results.json is missing");
    expect(notes).toContain("line 3: not valid JSON");
    await page.close();
  });

  it("shows an empty run as a note, not a broken chart", async () => {
    const dir = await runDir();
    await writeRun(dir, { results: { valid: true, results: {} } });
    const { reportHtml } = await writeReports(dir);
    const { page, loaded } = await open(browser, reportHtml);

    expect(loaded.errors).toEqual([]);
    expect(loaded.banner.verdict).toBe("valid");
    expect(loaded.charts.every((c) => c.points === 0)).toBe(true);
    expect(await page.locator("#chart-latency").textContent()).toContain("No completed operations");
    await page.close();
  });

  itWith([builtCliPart()], "renders the report of a real run: tob run on a 3-node cluster under kill and partition", async () => {
    const out = await runDir();
    const args = ["run", "--out", out, "--workload", "register", "--nemesis", "kill,partition", "--time", "4", "--recovery", "1"];
    const r = await execa(
      process.execPath,
      [distPath("src/cli.js"), ...args, "--nemesis-interval", "1.5", "--nemesis-duration", "1", "--seed", "11"],
      {
        reject: false,
        timeout: REAL_RUN_TIMEOUT_MS,
      },
    );
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    const run = join(out, "latest");
    const history = readFileSync(join(run, "history.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Op);
    const completed = history.filter((op) => op.process !== NEMESIS && op.type !== "invoke").length;
    const opened = history.filter((op) => op.process === NEMESIS && op.type === "info" && (op.f === "kill" || op.f === "start-partition"));
    const expectedKinds = opened.map((op) => (op.f === "kill" ? "kill" : "partition")).sort();
    expect(expectedKinds.length).toBeGreaterThan(0);

    const { page, loaded } = await open(browser, join(run, "report.html"));
    expect(loaded.errors).toEqual([]);
    expect(loaded.banner.verdict).toBe("valid");
    expect(loaded.banner.text).toContain("VALID");
    expect(new Map(loaded.charts.map((c) => [c.id, c.points])).get("chart-latency")).toBe(completed);
    // Every fault the nemesis put in force is a row of the faults table, named by its descriptor.
    const rows = await page.locator("section:has(h2:text('Faults')) tbody tr td:first-child").allTextContents();
    expect([...rows].sort()).toEqual(expectedKinds);
    expect(await page.locator("#checkers details").count()).toBeGreaterThan(1);
    await page.screenshot({ path: join(run, "report.png"), fullPage: true });
    await page.close();
  });
});
