/**
 * Carries out a fault schedule (./schedule.ts) against a cluster and a network
 * backend, recording every fault as a `process: "nemesis"` invoke and its
 * `info` completion, as Jepsen does. It remembers what it broke, so that the
 * final heal undoes exactly that and the run can end in a quiet, healthy
 * cluster.
 */
import { type Cluster, ChangeRefused } from "../../clusters/cluster.js";
import { type RunClock, sleepMs } from "../controller/clock.js";
import { NS_PER_S } from "../history/op.js";
import type { Recorder } from "../controller/recorder.js";
import { faultDescriptor } from "../history/faults.js";
import { NEMESIS } from "../history/op.js";
import { FAULTS, faultParts, type FaultSpec } from "./faults.js";
import type { Link, Network } from "./network.js";
import { allLinks } from "./network.js";
import type { PlannedFault } from "./schedule.js";
import { oneWay, type Shape, shapeCut } from "./shapes.js";

export interface NemesisDeps {
  cluster: Cluster;
  /** Null when no network fault was asked for. */
  network: Network | null;
  recorder: Recorder;
  clock: RunClock;
  signal?: AbortSignal;
}

const LEADER_LOOKUP_TIMEOUT_MS = 2_000;

export class Nemesis {
  private readonly killed = new Set<string>();
  private readonly paused = new Set<string>();
  /** Nodes taken out of the configuration, to add back as new members. */
  private readonly removed = new Set<string>();
  private networkFault: string | null = null;
  /** Undoes the network fault in force (records its stop op). */
  private networkUndo: (() => Promise<void>) | null = null;

  constructor(private readonly deps: NemesisDeps) {}

  /** What is broken now, for the progress line. */
  active(): string[] {
    const out: string[] = [];
    if (this.killed.size) out.push(`killed ${[...this.killed].join(",")}`);
    if (this.paused.size) out.push(`paused ${[...this.paused].join(",")}`);
    if (this.removed.size) out.push(`removed ${[...this.removed].join(",")}`);
    if (this.networkFault) out.push(this.networkFault);
    return out;
  }

  /** Runs the plan in time; returns at the last fault's end (or on abort). */
  async run(plan: readonly PlannedFault[]): Promise<void> {
    for (const fault of plan) {
      if (!(await this.sleepUntil(fault.startS))) return;
      const undos: (() => Promise<void>)[] = [];
      const parts = faultParts(fault.name);
      for (const [i, part] of parts.entries()) {
        // Later parts of a composite start at its midpoint (./faults.ts).
        if (i === 1) await this.sleepUntil((fault.startS + fault.endS) / 2);
        const spec = FAULTS[part]?.spec;
        if (!spec) throw new Error(`unknown fault ${part}`);
        undos.unshift(await this.start(fault, spec));
      }
      await this.sleepUntil(fault.endS);
      for (const undo of undos) await undo();
      if (this.deps.signal?.aborted) return;
    }
  }

  /** Undoes every fault still in force: network first, so restarted nodes rejoin a whole cluster. */
  async healAll(): Promise<void> {
    await this.networkUndo?.();
    await this.resume([...this.paused]);
    await this.restart([...this.killed]);
    await this.addBack([...this.removed]);
  }

  private async start(fault: PlannedFault, spec: FaultSpec): Promise<() => Promise<void>> {
    const { cluster } = this.deps;
    switch (spec.action) {
      case "kill": {
        const nodes = await this.targets(spec.target, fault.order);
        // All at once: a minority crashing together is the harder case.
        await this.op(faultDescriptor("kill").opens[0]!, { nodes }, () =>
          each(nodes, async (n) => {
            await cluster.kill(n);
            this.killed.add(n);
          }),
        );
        return () => this.restart(nodes);
      }
      case "pause": {
        const nodes = await this.targets(spec.target, fault.order);
        await this.op(faultDescriptor("pause").opens[0]!, { nodes }, () =>
          each(nodes, async (n) => {
            await cluster.pause(n);
            this.paused.add(n);
          }),
        );
        return () => this.resume(nodes);
      }
      case "partition": {
        let shape = spec.shape === "any" ? (fault.variant as Shape | "leader") : spec.shape;
        let order = fault.order;
        if (shape === "leader") {
          const [leader] = await this.targets("leader", order);
          order = [leader as string, ...order.filter((n) => n !== leader)];
          shape = "one";
        }
        const cut = shapeCut(shape, order);
        return this.netFault("partition", { shape: spec.shape === "leader" ? "leader" : shape, groups: cut.groups }, (net) =>
          net.cut(cut.links),
        );
      }
      case "one-way": {
        const cut = oneWay(fault.order, fault.variant !== "deaf");
        const value = { node: fault.order[0], direction: fault.variant === "deaf" ? "cannot-hear" : "cannot-send", links: cut.links };
        return this.netFault("cut", value, (net) => net.cut(cut.links));
      }
      case "delay": {
        const links: Link[] = allLinks(fault.order);
        return this.netFault("delay", { delayMs: spec.delayMs }, (net) => net.delay(links, spec.delayMs));
      }
      case "membership": {
        // Jepsen's membership nemesis: a node leaves the configuration, and later rejoins as a new, empty member.
        const node = fault.order[0] as string;
        await this.op(faultDescriptor("membership").opens[0]!, { node }, async () => {
          await this.membership(cluster).remove(node);
          this.removed.add(node);
        });
        return () => this.addBack([node]);
      }
    }
  }

  private membership(cluster: Cluster): { remove(node: string): Promise<void>; add(node: string): Promise<void> } {
    const { removeMember, addMember } = cluster;
    // The run refused the fault already for a kind that does not declare membership (src/controller/clusters.ts).
    if (!removeMember || !addMember) throw new Error(`the ${cluster.kind} cluster cannot change its membership`);
    return { remove: (n) => removeMember.call(cluster, n), add: (n) => addMember.call(cluster, n) };
  }

  private async addBack(nodes: string[]): Promise<void> {
    for (const node of nodes.filter((n) => this.removed.has(n))) {
      await this.op(faultDescriptor("membership").closes[0]!, { node }, async () => {
        await this.membership(this.deps.cluster).add(node);
        this.removed.delete(node);
      });
    }
  }

  private async netFault(
    what: string,
    value: Record<string, unknown>,
    apply: (net: Network) => Promise<void>,
  ): Promise<() => Promise<void>> {
    const net = this.deps.network;
    if (!net) throw new Error(`a ${what} fault needs a network backend`);
    const undo = async () => {
      if (this.networkUndo !== undo) return;
      this.networkUndo = null;
      this.networkFault = null;
      await this.op(faultDescriptor(what).closes[0]!, value, () => net.heal());
    };
    this.networkUndo = undo;
    this.networkFault = `${what} ${JSON.stringify(value.groups ?? value.node ?? value.delayMs)}`;
    await this.op(faultDescriptor(what).opens[0]!, value, () => apply(net));
    return undo;
  }

  private async restart(nodes: string[]): Promise<void> {
    const todo = nodes.filter((n) => this.killed.has(n));
    if (todo.length === 0) return;
    await this.op(faultDescriptor("kill").closes[0]!, { nodes: todo }, () =>
      each(todo, async (n) => {
        await this.deps.cluster.restart(n);
        this.killed.delete(n);
      }),
    );
  }

  private async resume(nodes: string[]): Promise<void> {
    const todo = nodes.filter((n) => this.paused.has(n));
    if (todo.length === 0) return;
    await this.op(faultDescriptor("pause").closes[0]!, { nodes: todo }, () =>
      each(todo, async (n) => {
        await this.deps.cluster.resume(n);
        this.paused.delete(n);
      }),
    );
  }

  /** Nodes for a target; "leader" falls back to a seeded node when there is none. */
  private async targets(target: "one" | "leader" | "minority", order: readonly string[]): Promise<string[]> {
    if (target === "one") return [order[0] as string];
    if (target === "minority") return order.slice(0, Math.max(1, Math.floor((order.length - 1) / 2)));
    const leader = await this.leader();
    return [leader && order.includes(leader) ? leader : (order[0] as string)];
  }

  private async leader(): Promise<string | null> {
    const lookup = this.deps.cluster.leader?.();
    if (!lookup) return null;
    const timeout = sleepMs(LEADER_LOOKUP_TIMEOUT_MS).then(() => null);
    return Promise.race([lookup.catch(() => null), timeout]);
  }

  /** Records the fault's invoke, does it, and records its `info` completion (with the error, if any). */
  private async op(f: string, value: unknown, act: () => Promise<void>): Promise<void> {
    const { recorder } = this.deps;
    recorder.record({ process: NEMESIS, type: "invoke", f, value });
    try {
      await act();
      recorder.record({ process: NEMESIS, type: "info", f, value });
    } catch (err) {
      // A refusal is certain: the fault never took effect (a fail, which no fault interval counts).
      const type = err instanceof ChangeRefused ? "fail" : "info";
      recorder.record({ process: NEMESIS, type, f, value, error: (err as Error)?.message ?? String(err) });
    }
  }

  /** False when aborted before the time came. */
  private async sleepUntil(atS: number): Promise<boolean> {
    const waitMs = (atS * NS_PER_S - this.deps.clock.nowNs()) / 1e6;
    await sleepMs(waitMs, this.deps.signal);
    return !this.deps.signal?.aborted;
  }
}

/** `act` on every node at once; the first failure is reported after all have settled. */
async function each(nodes: readonly string[], act: (node: string) => Promise<void>): Promise<void> {
  const results = await Promise.allSettled(nodes.map(act));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
