import { afterEach, describe, expect, it } from "vitest";
import { hardRegister, invalidBroadcast, invalidRegister, largeRegister, staleListAppendEdn, validRegister } from "./histories.js";
import { startService, type TestService, writeSampleRuns } from "./harness.js";

let service: TestService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

const post = (s: TestService, url: string, payload: string, headers: Record<string, string> = { "content-type": "text/plain" }) =>
  s.app.inject({ method: "POST", url, payload, headers });

async function waitDone(s: TestService, id: string): Promise<Record<string, any>> {
  for (let i = 0; i < 600; i++) {
    const res = await s.app.inject({ method: "GET", url: `/api/checks/${id}` });
    const body = res.json();
    if (body.status === "done" || body.status === "failed") return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`check ${id} did not finish`);
}

describe("POST /api/checks", () => {
  it("answers a small valid history at once", async () => {
    service = await startService();
    const res = await post(service, "/api/checks?model=register", validRegister());
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.valid).toBe(true);
    expect(body.status).toBe("done");
    expect(body.ops).toBe(4);
    expect(res.headers.location).toBe(`/api/checks/${body.id}`);
  });

  it("returns the counterexample of an invalid history, and its timeline", async () => {
    service = await startService();
    const res = await post(service, "/api/checks?model=register", invalidRegister(), { "content-type": "application/x-ndjson" });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.valid).toBe(false);
    expect(JSON.stringify(body.result)).toMatch(/read/);
    expect(body.links.timeline).toBe(`/api/checks/${body.id}/timeline`);
    const timeline = await service.app.inject({ method: "GET", url: body.links.timeline });
    expect(timeline.statusCode).toBe(200);
    expect(timeline.headers["content-type"]).toMatch(/text\/html/);
    expect(timeline.headers["content-security-policy"]).toContain("sandbox");
    expect(timeline.body).toMatch(/<html|<!doctype/i);
  });

  it("names the known models for an unknown one", async () => {
    service = await startService();
    const res = await post(service, "/api/checks?model=nope", validRegister());
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/unknown model "nope"; known models: .*register.*cas-register/);
    expect(res.json().knownModels).toContain("etcd");
  });

  it("names the line of malformed content", async () => {
    service = await startService();
    const lines = validRegister().split("\n");
    lines[2] = '{"index": 2, "process": 1, "type": "invoke", "f": "read", "value": nu';
    const res = await post(service, "/api/checks?model=register", lines.join("\n"));
    expect(res.statusCode).toBe(400);
    expect(res.json().line).toBe(3);
    expect(res.json().error).toMatch(/line 3/);
    expect(res.json().error).not.toMatch(/\/tmp\//);
  });

  it("refuses an empty body and bad parameters with 400", async () => {
    service = await startService();
    expect((await post(service, "/api/checks?model=register", "")).statusCode).toBe(400);
    expect((await post(service, "/api/checks?model=register&timeout=-1", validRegister())).statusCode).toBe(400);
    expect((await post(service, "/api/checks?model=register&format=xml", validRegister())).statusCode).toBe(400);
  });

  it("runs the checker named by ?checker=, or the one the ops call for", async () => {
    service = await startService();
    const named = await post(service, "/api/checks?checker=total-order", invalidBroadcast());
    expect(named.statusCode).toBe(200);
    expect(named.json()).toMatchObject({ valid: false, checker: "total-order", result: { failed: ["order-fixed"] } });
    const inferred = (await post(service, "/api/checks", invalidBroadcast())).json();
    expect(inferred).toMatchObject({ valid: false, checker: "total-order" });
    expect(inferred.links.timeline).toBeDefined();
    const register = (await post(service, "/api/checks", validRegister())).json();
    expect(register).toMatchObject({ valid: true, checker: "linearizable" });
    expect(register.result.model).toBe("register");
    const elle = (await post(service, "/api/checks?checker=elle", staleListAppendEdn())).json();
    expect(elle).toMatchObject({ valid: false, checker: "elle-list-append" });
    const serializable = (await post(service, "/api/checks?consistencyModels=serializable", staleListAppendEdn())).json();
    expect(serializable).toMatchObject({ valid: true, checker: "elle-list-append" });
    // Elle's own EDN: completions only, no :process; each txn reads the other's write (G1c)
    const opOnly = (
      await post(service, "/api/checks", "{:type :ok, :value [[:w :x 1] [:r :y 2]]}\n{:type :ok, :value [[:w :y 2] [:r :x 1]]}\n")
    ).json();
    expect(opOnly).toMatchObject({ valid: false, checker: "elle-rw-register" });
    expect(opOnly.result["anomaly-types"]).toContain("G1c");
  });

  it("refuses an unknown checker, a model for another checker, and ops that do not fit, with 400", async () => {
    service = await startService();
    const unknown = await post(service, "/api/checks?checker=serial", validRegister());
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatch(
      /unknown checker "serial"; known checkers: linearizable, total-order, elle-list-append, elle-rw-register, elle/,
    );
    expect(unknown.json().knownCheckers).toContain("total-order");
    expect((await post(service, "/api/checks?checker=total-order&model=register", invalidBroadcast())).statusCode).toBe(400);
    const misfit = await post(service, "/api/checks?checker=total-order", validRegister());
    expect(misfit.statusCode).toBe(400);
    expect(misfit.json().line).toBe(1);
    expect(misfit.json().error).toMatch(/request body line 1, field "f": the total-order checker reads ops with f = broadcast/);
    expect(misfit.json().error).toMatch(/pick another \?checker=/);
    const models = await post(service, "/api/checks?consistencyModels=serialisable", staleListAppendEdn());
    expect(models.statusCode).toBe(400);
    expect(models.json().error).toMatch(/unknown consistency model "serialisable"/);
  });

  it("answers 413 naming the limit to an oversize body", async () => {
    service = await startService({ bodyLimitBytes: 1000 });
    const res = await post(service, "/api/checks?model=register", largeRegister(50));
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatch(/limit of 1000 bytes/);
    expect(res.json().limitBytes).toBe(1000);
  });

  it("gives a large history a 202 and an id to poll", async () => {
    service = await startService({ syncMaxBytes: 1024 });
    const res = await post(service, "/api/checks?model=register", largeRegister(200));
    expect(res.statusCode).toBe(202);
    const accepted = res.json();
    expect(["queued", "running"]).toContain(accepted.status);
    expect(res.headers.location).toBe(`/api/checks/${accepted.id}`);
    const done = await waitDone(service, accepted.id);
    expect(done.error).toBeUndefined();
    expect(done.status).toBe("done");
    expect(done.valid).toBe(true);
    expect(done.ops).toBe(200 * 10);
  });

  it("reports a malformed large history as a failed check with its line", async () => {
    service = await startService({ syncMaxBytes: 1024 });
    const res = await post(service, "/api/checks?model=register", largeRegister(100) + "{not json\n");
    expect(res.statusCode).toBe(202);
    const done = await waitDone(service, res.json().id);
    expect(done.status).toBe("failed");
    expect(done.error.line).toBe(100 * 10 + 1);
  });

  it("answers unknown when the budget runs out", async () => {
    service = await startService();
    const t0 = performance.now();
    const res = await post(service, "/api/checks?model=register&timeout=0.3", hardRegister(24));
    expect(res.statusCode).toBe(200);
    expect(res.json().valid).toBe("unknown");
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it("answers 429 with Retry-After when the queue is full", async () => {
    service = await startService({ workers: 1, queueMax: 1, syncMaxBytes: 1024 });
    const big = largeRegister(3000);
    const answers = await Promise.all([1, 2, 3].map(() => post(service!, "/api/checks?model=register", big)));
    const codes = answers.map((r) => r.statusCode).sort();
    expect(codes).toEqual([202, 202, 429]);
    const refused = answers.find((r) => r.statusCode === 429)!;
    expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    const metrics = await service.app.inject({ method: "GET", url: "/metrics" });
    expect(metrics.body).toMatch(/tob_checks_rejected_total\{reason="queue_full"\} 1/);
  });

  it("keeps finished checks across a restart, and evicts the oldest past the maximum", async () => {
    service = await startService({ checksStoredMax: 2 });
    const ids: string[] = [];
    for (const body of [validRegister(), invalidRegister(), validRegister()])
      ids.push((await post(service, "/api/checks?model=register", body)).json().id);
    expect((await service.app.inject({ method: "GET", url: `/api/checks/${ids[0]}` })).statusCode).toBe(404);
    const root = service.root;
    const opts = service.opts;
    await service.stop();
    service = await startService(opts, root);
    const second = await service.app.inject({ method: "GET", url: `/api/checks/${ids[1]}` });
    expect(second.statusCode).toBe(200);
    expect(second.json().valid).toBe(false);
    expect((await service.app.inject({ method: "GET", url: `/api/checks/${ids[1]}/timeline` })).statusCode).toBe(200);
    expect((await service.app.inject({ method: "GET", url: `/api/checks/${ids[2]}` })).json().valid).toBe(true);
    expect((await service.app.inject({ method: "GET", url: `/api/checks/${ids[0]}` })).statusCode).toBe(404);
  });
});

describe("runs, health, metrics, OpenAPI", () => {
  it("lists runs with filters, serves results.json and the pages as they are", async () => {
    service = await startService();
    await writeSampleRuns(service.opts.resultsDir);
    const all = (await service.app.inject({ method: "GET", url: "/api/runs" })).json().runs;
    expect(all.map((r: { id: string }) => r.id)).toEqual([
      "broadcast/20260101T120000Z",
      "kv/20260101T110000Z",
      "register/20260101T100000Z",
    ]);
    expect(all[2]).toMatchObject({
      workload: "register",
      cluster: "raft",
      valid: true,
      throughputPerS: 812.5,
      latencyMsP99: 14.2,
      hasReport: true,
      hasTimeline: true,
    });
    const runs = async (q: string) =>
      (await service!.app.inject({ method: "GET", url: `/api/runs?${q}` })).json().runs.map((r: { test: string }) => r.test);
    expect(await runs("verdict=invalid")).toEqual(["kv"]);
    expect(await runs("cluster=raft")).toEqual(["broadcast", "register"]);
    expect(await runs("workload=register&verdict=valid")).toEqual(["register"]);
    expect((await service.app.inject({ method: "GET", url: "/api/runs?verdict=maybe" })).statusCode).toBe(400);

    const results = await service.app.inject({ method: "GET", url: "/api/runs/kv/20260101T110000Z" });
    expect(results.json().valid).toBe(false);
    const report = await service.app.inject({ method: "GET", url: "/api/runs/kv/20260101T110000Z/report.html" });
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain("kv report");
    expect((await service.app.inject({ method: "GET", url: "/api/runs/kv/20260101T110000Z/timeline.html" })).statusCode).toBe(404);
    expect((await service.app.inject({ method: "GET", url: "/api/runs/kv/nope" })).statusCode).toBe(404);
    expect((await service.app.inject({ method: "GET", url: "/api/runs/..%2F..%2Fetc/passwd" })).statusCode).toBe(400);
  });

  it("serves /healthz, Prometheus /metrics and the OpenAPI description", async () => {
    service = await startService();
    await post(service, "/api/checks?model=register", validRegister());
    const health = await service.app.inject({ method: "GET", url: "/healthz" });
    expect(health.json()).toMatchObject({ status: "ok", queueDepth: 0 });
    const metrics = await service.app.inject({ method: "GET", url: "/metrics" });
    expect(metrics.headers["content-type"]).toMatch(/text\/plain; version=0.0.4/);
    expect(metrics.body).toMatch(/tob_checks_served_total\{outcome="valid"\} 1/);
    expect(metrics.body).toMatch(/tob_check_queue_depth 0/);
    expect(metrics.body).toMatch(/tob_check_duration_seconds_count 1/);
    const doc = (await service.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/checks", "/api/checks/{id}", "/api/runs", "/metrics"]));
    const models = (await service.app.inject({ method: "GET", url: "/api/models" })).json();
    expect(models.models.map((m: { name: string }) => m.name)).toContain("register");
  });

  it("serves the UI pages and nothing else from its folder", async () => {
    service = await startService();
    expect((await service.app.inject({ method: "GET", url: "/" })).headers.location).toBe("/ui/");
    const index = await service.app.inject({ method: "GET", url: "/ui/" });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<table id="runs"');
    expect((await service.app.inject({ method: "GET", url: "/ui/check.js" })).headers["content-type"]).toMatch(/javascript/);
    expect((await service.app.inject({ method: "GET", url: "/ui/..%2Fserver.ts" })).statusCode).toBe(404);
  });
});
