import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { builtCliPart, CHROMIUM_PATH, chromiumPart, describeWith, itWith } from "../../../test/support/real.js";
import { distPath } from "../../paths.js";
import { execa } from "execa";
import { type Browser, chromium, type Page } from "playwright-core";
import { PACKAGE_ROOT } from "../../paths.js";
import { invalidBroadcast, invalidRegister, staleListAppendEdn, validRegister } from "./histories.js";
import { startService, type TestService, writeSampleRuns } from "./harness.js";

const SHOTS = join(PACKAGE_ROOT, "results", "screenshots");
/** A 3 s run with 1 s of recovery, plus start, check and report, on a loaded machine. */
const REAL_RUN_TIMEOUT_MS = 90_000;

describeWith([chromiumPart()], "web UI in headless Chromium", () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  const problems: string[] = [];
  /** Chromium logs every 4xx answer as a console error; a step that provokes one on purpose says so here. */
  let expectedConsoleError: RegExp | undefined;

  beforeAll(async () => {
    service = await startService();
    await writeSampleRuns(service.opts.resultsDir);
    base = await service.app.listen({ host: "127.0.0.1", port: 0 });
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
    await mkdir(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on("console", (msg) => {
      if (msg.type() === "error" && !expectedConsoleError?.test(msg.text())) problems.push(`${path}: console: ${msg.text()}`);
    });
    page.on("pageerror", (err) => problems.push(`${path}: page error: ${err.message}`));
    await page.goto(base + path);
    await page.waitForSelector("body[data-ready=true]");
    return page;
  }

  it("lists the runs with verdict colours, sorts and filters them", async () => {
    const page = await open("/ui/");
    const rows = page.locator("#runs tbody tr");
    await expect.poll(() => rows.count()).toBe(3);
    expect(await page.locator("#runs tbody .verdict.invalid").count()).toBe(1);
    expect(await page.locator("#runs tbody .verdict.valid").count()).toBe(1);
    const tests = () => page.locator("#runs tbody tr td:nth-child(2)").allTextContents();
    expect(await tests()).toEqual(["broadcast", "kv", "register"]);
    await page.click("th[data-key=throughputPerS]");
    expect(await tests()).toEqual(["register", "kv", "broadcast"]);
    await page.click("th[data-key=valid]");
    expect((await tests())[0]).toBe("kv");
    await page.selectOption("#cluster", "raft");
    expect((await tests()).sort()).toEqual(["broadcast", "register"]);
    await page.screenshot({ path: join(SHOTS, "runs-filtered.png"), fullPage: true });
    await page.selectOption("#cluster", "");
    await page.screenshot({ path: join(SHOTS, "runs.png"), fullPage: true });
    await page.close();
  });

  it("opens a run with its report embedded", async () => {
    const page = await open("/ui/");
    await page.click("#runs tbody tr[data-id='register/20260101T100000Z'] td:nth-child(3)");
    await page.waitForSelector("body[data-ready=true]");
    expect(page.url()).toContain("/ui/run.html?id=register");
    expect(await page.locator("#verdict .verdict").getAttribute("data-verdict")).toBe("valid");
    const frame = page.frameLocator("iframe.report");
    await expect.poll(() => frame.locator("#banner").textContent()).toBe("register report");
    await page.screenshot({ path: join(SHOTS, "run.png"), fullPage: true });
    await page.close();
  });

  it("checks a pasted history and shows the verdict", async () => {
    const page = await open("/ui/check.html");
    await page.selectOption("#model", "register");
    await page.fill("#history", invalidRegister());
    await page.click("#run");
    await page.waitForSelector("body[data-verdict=false]");
    expect(await page.locator("#verdict .verdict").textContent()).toBe("INVALID");
    expect(await page.locator("#explanation").textContent()).toMatch(/read/);
    const timeline = page.frameLocator("iframe.timeline");
    await expect.poll(() => timeline.locator("h1").textContent()).toMatch(/NOT linearizable/);
    expect(await timeline.locator("svg").count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, "check-invalid.png"), fullPage: true });

    await page.fill("#history", validRegister());
    await page.click("#run");
    await page.waitForSelector("body[data-verdict=true]");
    expect(await page.locator("#verdict .verdict").textContent()).toBe("valid");

    expectedConsoleError = /status of 400/;
    await page.fill("#history", '{"process": 0, "type": "oops"}\n');
    await page.click("#run");
    await expect.poll(() => page.locator("#status").textContent()).toMatch(/line 1/);
    expectedConsoleError = undefined;
    await page.screenshot({ path: join(SHOTS, "check-error.png"), fullPage: true });
    await page.close();
  });

  it("offers the choice of checker, and checks with the one chosen or inferred", async () => {
    const page = await open("/ui/check.html");
    const offered = await page.locator("#checker option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toEqual([
      "",
      "linearizable",
      "total-order",
      "elle-list-append",
      "elle-rw-register",
      "elle",
      "set-full",
      "counter",
      "kafka",
      "unique-ids",
      "echo",
      "perf",
    ]);
    await page.selectOption("#checker", "total-order");
    expect(await page.locator("#model").isDisabled()).toBe(true);
    await page.fill("#history", invalidBroadcast());
    await page.click("#run");
    await page.waitForSelector("body[data-verdict=false]");
    expect(await page.locator("#facts").textContent()).toMatch(/checker total-order/);
    expect(await page.locator("#explanation").textContent()).toMatch(
      /order-fixed: 1 violation\(s\); e\.g\. the broadcast of "m1" was acknowledged at seq 3/,
    );
    const view = page.frameLocator("iframe.timeline");
    await expect.poll(() => view.locator("#verdict").textContent()).toBe("invalid");
    await page.screenshot({ path: join(SHOTS, "check-total-order.png"), fullPage: true });

    // Elle, inferred from the txns; the consistency models box is Elle's
    await page.selectOption("#checker", "");
    expect(await page.locator("#consistency").isDisabled()).toBe(true);
    await page.fill("#history", staleListAppendEdn());
    await page.click("#run");
    await page.waitForSelector("body[data-verdict=false]");
    expect(await page.locator("#facts").textContent()).toMatch(/checker elle-list-append/);
    expect(await page.locator("#explanation").textContent()).toMatch(/G-single-realtime/);
    await page.selectOption("#checker", "elle");
    await page.fill("#consistency", "serializable");
    await page.click("#run");
    await page.waitForSelector("body[data-verdict=true]");
    await page.screenshot({ path: join(SHOTS, "check-elle.png"), fullPage: true });
    await page.close();
  });

  it("logged no console errors on any page", () => {
    expect(problems).toEqual([]);
  });

  itWith([builtCliPart()], "lists a real run (tob run into the service's results) and opens it with its real report", async () => {
    const real = await startService();
    try {
      const args = [
        "run",
        "--out",
        real.opts.resultsDir,
        "--workload",
        "register",
        "--nemesis",
        "kill",
        "--time",
        "3",
        "--recovery",
        "1",
        "--seed",
        "5",
      ];
      const r = await execa(process.execPath, [distPath("src/cli.js"), ...args], { reject: false, timeout: REAL_RUN_TIMEOUT_MS });
      expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
      const realBase = await real.app.listen({ host: "127.0.0.1", port: 0 });
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      page.on("pageerror", (err) => problems.push(`real run: page error: ${err.message}`));
      await page.goto(`${realBase}/ui/`);
      await page.waitForSelector("body[data-ready=true]");
      const rows = page.locator("#runs tbody tr");
      await expect.poll(() => rows.count()).toBe(1);
      expect(await page.locator("#runs tbody .verdict.valid").count()).toBe(1);
      expect(await page.locator("#runs tbody tr td:nth-child(2)").allTextContents()).toEqual(["register"]);
      await rows.first().locator("td:nth-child(3)").click();
      await page.waitForSelector("body[data-ready=true]");
      expect(await page.locator("#verdict .verdict").getAttribute("data-verdict")).toBe("valid");
      // The run's own report.html, as tob run wrote it: its banner and its drawn charts.
      const frame = page.frameLocator("iframe.report");
      await expect.poll(() => frame.locator("#verdict").getAttribute("data-verdict")).toBe("valid");
      await expect.poll(() => frame.locator(".uplot").count()).toBe(3);
      await page.screenshot({ path: join(SHOTS, "run-real.png"), fullPage: true });
      await page.close();
    } finally {
      await real.close();
    }
  });
});
