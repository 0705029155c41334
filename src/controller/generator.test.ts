import { describe, expect, it } from "vitest";
import type { Op } from "../history/op.js";
import { type Generator, list, source, type Step } from "./generator.js";
import { concurrency, limit, mix, phases, rate, stagger, timeLimit } from "./generator-combinators.js";
import { ProcessTable } from "./processes.js";
import { nextInt } from "../rng.js";

/**
 * Interprets a generator in simulated time: every op takes `latencyNs`, and
 * `outcome` decides how it ends. Returns the history it would record. Pure, so
 * two runs with the same inputs must agree op for op.
 */
function simulate(
  gen: Generator,
  opts: { threads: number; latencyNs: number; outcome?: (n: number) => "ok" | "fail" | "info"; opsMax?: number },
): Op[] {
  let table = ProcessTable.create(opts.threads);
  const history: Op[] = [];
  const inFlight: { process: number; f: string; key?: string; value: unknown; doneNs: number }[] = [];
  let now = 0;
  let current: Generator | null = gen;
  const ctx = () => ({ timeNs: now, free: table.free(), processes: table.processes(), nodes: ["n1", "n2", "n3"] });
  for (let turn = 0; turn < (opts.opsMax ?? 10_000) * 4; turn++) {
    inFlight.sort((a, b) => a.doneNs - b.doneNs);
    const step: Step | null = current ? current.op(ctx()) : null;
    const nextDone = inFlight[0];
    if (step?.kind === "op" && (!nextDone || Math.max(now, step.op.timeNs) < nextDone.doneNs)) {
      now = Math.max(now, step.op.timeNs);
      current = step.gen;
      const p = step.op.process as number;
      table = table.invoke(p);
      history.push({ index: history.length, time: now, process: p, type: "invoke", f: step.op.f, value: step.op.value, key: step.op.key });
      inFlight.push({ process: p, f: step.op.f, key: step.op.key, value: step.op.value, doneNs: now + opts.latencyNs });
      continue;
    }
    // An op not taken now is asked for again later: generators are values.
    if (step?.kind === "done") current = null;
    else if (step?.kind === "pending") current = step.gen;
    if (!nextDone) {
      if (!current) break;
      now += 1_000_000; // pending with nothing in flight: time must pass (time limits)
      continue;
    }
    inFlight.shift();
    now = nextDone.doneNs;
    const type = opts.outcome ? opts.outcome(history.length) : "ok";
    table = table.complete(nextDone.process, type);
    const op: Op = {
      index: history.length,
      time: now,
      process: nextDone.process,
      type,
      f: nextDone.f,
      value: nextDone.value,
      key: nextDone.key,
    };
    history.push(op);
    if (current) current = current.update(ctx(), op);
  }
  return history;
}

const randomOps = (seed: number) =>
  source<number>(0, seed, (n, rng) => {
    const [k, r] = nextInt(rng, 100);
    return [{ f: k < 50 ? "read" : "write", key: `k${k % 5}`, value: k }, n + 1, r];
  });

describe("generators", () => {
  it("are deterministic by seed, and differ across seeds", () => {
    const run = (seed: number) =>
      simulate(
        limit(
          200,
          mix(
            [
              { gen: randomOps(seed), weight: 1 },
              { gen: randomOps(seed + 9), weight: 2 },
            ],
            seed,
          ),
        ),
        { threads: 4, latencyNs: 3e6 },
      );
    const a = run(7);
    expect(run(7)).toEqual(a);
    expect(a.filter((o) => o.type === "invoke")).toHaveLength(200);
    expect(run(8).map((o) => o.value)).not.toEqual(a.map((o) => o.value));
  });

  it("rate spaces ops evenly: 100 ops/s over 2 s is about 200 ops", () => {
    const h = simulate(timeLimit(2e9, rate(100, randomOps(1))), { threads: 5, latencyNs: 1e6 });
    const invokes = h.filter((o) => o.type === "invoke");
    expect(invokes.length).toBeGreaterThanOrEqual(195);
    expect(invokes.length).toBeLessThanOrEqual(201);
    const gaps = invokes.slice(1).map((o, i) => o.time - (invokes[i] as Op).time);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1e7 - 1);
  });

  it("stagger keeps the mean rate with random gaps", () => {
    const h = simulate(timeLimit(5e9, stagger(1e7, randomOps(2), 3)), { threads: 5, latencyNs: 1e6 });
    const invokes = h.filter((o) => o.type === "invoke");
    expect(invokes.length).toBeGreaterThan(400);
    expect(invokes.length).toBeLessThan(600);
    const gaps = new Set(invokes.slice(1).map((o, i) => o.time - (invokes[i] as Op).time));
    expect(gaps.size).toBeGreaterThan(50);
  });

  it("time limit ends the ops, and no op starts past it", () => {
    const h = simulate(timeLimit(1e9, rate(50, randomOps(1))), { threads: 2, latencyNs: 1e6 });
    expect(Math.max(...h.filter((o) => o.type === "invoke").map((o) => o.time))).toBeLessThan(1e9);
  });

  it("concurrency bounds the ops in flight", () => {
    const h = simulate(limit(100, concurrency(2, randomOps(1))), { threads: 6, latencyNs: 5e6 });
    let inFlight = 0;
    let most = 0;
    for (const o of h) {
      inFlight += o.type === "invoke" ? 1 : -1;
      most = Math.max(most, inFlight);
    }
    expect(most).toBe(2);
    expect(new Set(h.map((o) => o.process)).size).toBe(2);
  });

  it("phases: the next phase starts only when every op of the last one completed", () => {
    const h = simulate(
      phases(
        limit(20, randomOps(1)),
        list([
          { f: "final", value: null },
          { f: "final", value: null },
        ]),
      ),
      { threads: 4, latencyNs: 2e6 },
    );
    const firstFinal = h.findIndex((o) => o.f === "final");
    const before = h.slice(0, firstFinal);
    expect(before.filter((o) => o.type === "invoke")).toHaveLength(20);
    expect(before.filter((o) => o.type !== "invoke")).toHaveLength(20);
    expect(h.filter((o) => o.f === "final" && o.type === "ok")).toHaveLength(2);
  });

  it("the info rule: a process whose op ended in info never invokes again; a fresh one takes its thread", () => {
    const h = simulate(limit(300, randomOps(4)), { threads: 3, latencyNs: 1e6, outcome: (n) => (n % 7 === 0 ? "info" : "ok") });
    const retired = new Set<number | string>();
    for (const o of h) {
      if (o.type === "invoke") expect(retired.has(o.process)).toBe(false);
      if (o.type === "info") retired.add(o.process);
    }
    expect(retired.size).toBeGreaterThan(5);
    // Fresh ids are the old one plus the thread count, so each stays on its thread.
    for (const p of retired) expect(h.some((o) => o.process === (p as number) + 3)).toBe(true);
  });

  it("update lets a generator act on completions (a token acquired, then released)", () => {
    type S = { held: ReadonlyMap<number | string, number> };
    const gen = source<S>(
      { held: new Map() },
      1,
      (s, rng, p) => (s.held.has(p) ? [{ f: "release", value: s.held.get(p) }, s, rng] : [{ f: "acquire", value: null }, s, rng]),
      (s, op) => {
        const held = new Map(s.held);
        if (op.f === "acquire" && op.type === "ok") held.set(op.process, op.index);
        else held.delete(op.process);
        return { held };
      },
    );
    const h = simulate(limit(10, gen), { threads: 1, latencyNs: 1e6 });
    expect(h.filter((o) => o.type === "invoke").map((o) => o.f)).toEqual([
      "acquire",
      "release",
      "acquire",
      "release",
      "acquire",
      "release",
      "acquire",
      "release",
      "acquire",
      "release",
    ]);
    expect(h[2]).toMatchObject({ f: "release", value: 1 });
  });
});
