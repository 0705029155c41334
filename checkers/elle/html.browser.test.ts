/** The Elle page in headless Chromium: every kept cycle is drawn, with its explanation beside it. */
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CHROMIUM_PATH, chromiumPart, describeWith } from "../../test/support/real.js";
import { checkListAppend, renderElleHtml } from "./index.js";
import { H, a, r } from "./script.js";

describeWith([chromiumPart()], "elle.html in headless Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("draws a G2-item and a G-single-realtime cycle, each step labelled, offline", async () => {
    // write skew on x and y, and a stale read of z
    const h = new H()
      .invoke(0, r("x"), a("y", 1))
      .invoke(1, r("y"), a("x", 1))
      .ok(0, [])
      .ok(1, [])
      .txn(2, [r("x"), r("y")], [1], [1])
      .txn(3, [a("z", 1)])
      .txn(4, [r("z")], [])
      .txn(5, [r("z")], [1]);
    const result = checkListAppend(h.ops);
    expect(result["anomaly-types"]).toEqual(expect.arrayContaining(["G2-item", "G-single-realtime"]));
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.setContent(renderElleHtml(result, "elle test"));
    const drawn = await page.$$eval("svg.cycle", (svgs) =>
      svgs.map((svg) => ({
        txns: svg.querySelectorAll("circle").length,
        arrows: [...svg.querySelectorAll("path")]
          .filter((p) => p.getAttribute("marker-end") !== null)
          .map((p) => (p as SVGPathElement).getTotalLength()),
        labels: [...svg.querySelectorAll("text.edge")].map((t) => t.textContent),
        width: svg.getBoundingClientRect().width,
        explanation: svg.parentElement!.querySelector("pre")!.textContent,
      })),
    );
    expect(drawn.length).toBe(
      result["anomaly-types"].reduce((n, type) => n + result.anomalies[type].length, 0) - (result.anomalies.internal?.length ?? 0),
    );
    for (const cycle of drawn) {
      expect(cycle.txns).toBeGreaterThanOrEqual(2);
      expect(cycle.arrows).toHaveLength(cycle.txns);
      for (const length of cycle.arrows) expect(length).toBeGreaterThan(10);
      expect(cycle.width).toBeGreaterThan(100);
      expect(cycle.explanation).toMatch(/^Let:\n {2}T1 = op/);
    }
    expect(drawn.flatMap((c) => c.labels)).toEqual(expect.arrayContaining(["rw", "realtime"]));
    expect(await page.textContent(".verdict")).toMatch(/INVALID under strict-serializable/);
    expect(await page.textContent(".not")).toContain("strong-snapshot-isolation");
    expect(requests.filter((url) => !url.startsWith("about:") && !url.startsWith("data:"))).toEqual([]);
    await page.close();
  }, 60_000);
});
