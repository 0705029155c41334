/**
 * broadcast: clients broadcast unique messages; now and then, and once more
 * at the end on every node, a node's whole delivered sequence is read. Judged
 * by checkers/total-order (integrity, agreement, total order, no loss); the
 * op shapes are that checker's (checkers/total-order/parse.ts).
 */
import type { ClusterClient } from "../clusters/cluster.js";
import { totalOrderChecker } from "../checkers/total-order/index.js";
import { F_BROADCAST, F_FINAL_READ, F_READ } from "../checkers/total-order/parse.js";
import { eachNode, source } from "../src/controller/generator.js";
import { mix } from "../src/controller/generator-combinators.js";
import { completion, need, type Completion, type Workload } from "./workload.js";

/** One op in this many reads a node's deliveries during the run. */
const READ_EVERY = 25;
const PAGE_LIMIT = 1000;
/** Bounds a read of a node's sequence: 2M messages is far past any run here. */
const PAGES_MAX = 2000;

export const broadcast: Workload = {
  name: "broadcast",
  description: "unique broadcasts; periodic and final reads of every node's delivered order; total-order checker",
  requires: ["broadcast", "deliveries"],
  defaultNemesis: ["kill", "partition"],
  make(opts) {
    const sends = source<number>(0, opts.seed, (n, rng) => [{ f: F_BROADCAST, value: `m${n}` }, n + 1, rng]);
    const reads = source<number>(0, opts.seed + 1, (n, rng, _p, ctx) => [
      { f: F_READ, value: null, node: ctx.nodes[n % ctx.nodes.length] },
      n + 1,
      rng,
    ]);
    const generator = mix(
      [
        { gen: sends, weight: READ_EVERY - 1 },
        { gen: reads, weight: 1 },
      ],
      opts.seed,
    );
    return {
      generator,
      final: () => eachNode(() => ({ f: F_FINAL_READ, value: null }), opts.nodes),
      invoke: (client, op) =>
        op.f === F_BROADCAST ? send(client, op.value as string) : op.f === F_FINAL_READ ? settledRead(client) : readAll(client),
      checkers: [totalOrderChecker()],
    };
  },
};

async function send(client: ClusterClient, message: string): Promise<Completion> {
  const out = await need(client, "broadcast")(message);
  return completion(out, (v) => ({ seq: v.seq, index: v.index, term: v.term }));
}

/** How long apart two final reads must agree, and how long to try: followers apply a beat after the leader. */
const SETTLE_MS = 300;
const SETTLE_TRIES_MAX = 30;

/**
 * A final read, once the node has caught up: the run is quiet by now, but a
 * follower applies the last entries a heartbeat after the leader. Two reads a
 * moment apart must agree, with everything the node knows committed applied.
 * A node that never settles is read as it is: lagging is then what it did.
 */
async function settledRead(client: ClusterClient): Promise<Completion> {
  let last = await readAll(client);
  for (let i = 0; i < SETTLE_TRIES_MAX; i++) {
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const status = await client.status?.();
    const applied = !status || (status.type === "ok" && status.value.appliedIndex >= status.value.commitIndex);
    const next = await readAll(client);
    const same = last.type === "ok" && next.type === "ok" && (last.value as string[]).length === (next.value as string[]).length;
    last = next;
    if (same && applied) return last;
  }
  return last;
}

/** The node's delivered messages from seq 1, page by page. */
async function readAll(client: ClusterClient): Promise<Completion> {
  const deliveries = need(client, "deliveries");
  const messages: string[] = [];
  let from = 1;
  for (let page = 0; page < PAGES_MAX; page++) {
    const out = await deliveries(from, PAGE_LIMIT);
    // A failed page observed nothing whole: the read failed (reads change nothing).
    if (out.type !== "ok") return { type: "fail", value: null, error: out.error };
    // Recorded as served: a gap or a repeat in the node's numbering then shows
    // up as a misplaced message for the checker, instead of being hidden here.
    for (const d of out.value.deliveries) messages.push(d.message);
    if (out.value.deliveries.length === 0 || out.value.next <= from) return { type: "ok", value: messages };
    from = out.value.next;
  }
  return { type: "fail", value: null, error: `deliveries: more than ${PAGES_MAX} pages` };
}
