/**
 * The client loop: asks the generator for ops, hands each to an idle process,
 * records its invoke and completion, and feeds completions back into the
 * generator. Time comes from the run's clock; the loop ends when the generator
 * is done and every op in flight has completed.
 */
import type { ClusterClient } from "../../clusters/cluster.js";
import type { Op } from "../history/op.js";
import type { Completion } from "../../workloads/workload.js";
import { NS_PER_MS } from "../history/op.js";
import { type RunClock, sleepMs } from "./clock.js";
import type { GenContext, Generator, OpRequest } from "./generator.js";
import { ProcessTable } from "./processes.js";
import type { Recorder } from "./recorder.js";

export interface RunnerOptions {
  threads: number;
  nodes: readonly string[];
  clock: RunClock;
  recorder: Recorder;
  /** The client for a node, one per node, shared by its processes. */
  clientFor: (node: string) => ClusterClient;
  invoke: (client: ClusterClient, op: OpRequest) => Promise<Completion>;
  /** Past this an op is recorded as `info`: it may still happen. */
  opTimeoutMs: number;
  /** Aborting ends the generator early (Ctrl-C); ops in flight still complete. */
  signal?: AbortSignal;
}

/** How long the loop waits for a completion when the generator is pending. */
const PENDING_POLL_MS = 20;

export async function runClients(gen: Generator, opts: RunnerOptions): Promise<void> {
  let table = ProcessTable.create(opts.threads);
  const done: { request: OpRequest; node: string; completion: Completion }[] = [];
  let wake: (() => void) | null = null;
  const waitForCompletion = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(finish, ms);
      wake = finish;
      function finish(): void {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
    });
  const context = (): GenContext => ({
    timeNs: opts.clock.nowNs(),
    free: table.free(),
    processes: table.processes(),
    nodes: opts.nodes,
  });

  let current: Generator | null = gen;
  // Each turn either invokes an op, or waits a bounded time; the generator's own
  // time limit and the abort signal end it.
  for (;;) {
    for (let item = done.shift(); item !== undefined; item = done.shift()) {
      const op = recordCompletion(opts, item.request, item.node, item.completion);
      table = table.complete(item.request.process, item.completion.type);
      if (current) current = current.update(context(), op);
    }
    if (current && opts.signal?.aborted) current = null;
    if (!current) {
      if (table.outstanding() === 0) return;
      await waitForCompletion(PENDING_POLL_MS * 10);
      continue;
    }
    const step = current.op(context());
    if (step.kind === "done") {
      current = null;
      continue;
    }
    current = step.gen;
    if (step.kind === "pending") {
      await waitForCompletion(PENDING_POLL_MS);
      continue;
    }
    const request = step.op;
    const waitNs = request.timeNs - opts.clock.nowNs();
    if (waitNs > 0) await sleepMs(waitNs / NS_PER_MS, opts.signal);
    const node = request.node ?? nodeOf(request, table, opts.nodes);
    table = table.invoke(request.process);
    opts.recorder.record({ process: request.process, type: "invoke", f: request.f, value: request.value, key: request.key, node });
    void callWithTimeout(opts, node, request).then((completion) => {
      done.push({ request, node, completion });
      wake?.();
    });
  }
}

/** Processes spread over the nodes by thread, so a fresh process keeps its thread's node. */
function nodeOf(request: OpRequest, table: ProcessTable, nodes: readonly string[]): string {
  return nodes[table.threadOf(request.process) % nodes.length] as string;
}

async function callWithTimeout(opts: RunnerOptions, node: string, request: OpRequest): Promise<Completion> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Completion>((resolve) => {
    timer = setTimeout(() => resolve({ type: "info", value: null, error: "controller-timeout" }), opts.opTimeoutMs);
  });
  try {
    const call = opts.invoke(opts.clientFor(node), request).catch(
      // A thrown error after the request may have been sent: the outcome is unknown.
      (err: unknown): Completion => ({ type: "info", value: null, error: `client-error: ${(err as Error)?.message ?? String(err)}` }),
    );
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function recordCompletion(opts: RunnerOptions, request: OpRequest, node: string, c: Completion): Op {
  return opts.recorder.record({
    process: request.process,
    type: c.type,
    f: request.f,
    value: c.value,
    key: request.key,
    node,
    error: c.error,
    ...(c.retries ? { retries: c.retries } : {}),
  });
}
