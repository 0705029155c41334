import { seededRng } from "../../../src/rng.js";
import type { NodeId } from "../core/types.js";
import type { FaultOptions } from "./faults.js";
import type { NetworkFaults } from "./network.js";

/**
 * A run's faults as data, drawn from its seed up front: the list a failing run
 * shrinks (drop an event, shorten the run, calm the network) and a replay
 * command prints as JSON. Everything else in a run (client requests, which
 * message is lost) comes from the seed, in streams of its own.
 */

export type FaultEvent =
  /** Power off at a step boundary: what was not synced is lost, sector by sector (a torn write). */
  | { at: number; kind: "crash"; node: NodeId; downSteps: number }
  /** Power off inside the node's next fdatasync: the write under way tears. */
  | { at: number; kind: "powercut"; node: NodeId; downSteps: number }
  /** Power off, and one durable sector of the node's disk comes back corrupt. */
  | { at: number; kind: "corrupt"; node: NodeId; downSteps: number }
  | { at: number; kind: "partition"; groups: NodeId[][]; steps: number }
  /**
   * The leader removes the node; once that is committed the node's disk is wiped, and
   * `downSteps` later it starts empty, with no configuration, and the leader adds it back.
   */
  | { at: number; kind: "rejoin"; node: NodeId; downSteps: number };

export interface Schedule {
  nodes: number;
  /** Steps of the faulty phase; a healed phase follows. */
  steps: number;
  net: NetworkFaults;
  /** Writing a Ready takes 0..this many steps, while the core goes on stepping. */
  diskDelayTicksMax: number;
  /** In step order. */
  events: FaultEvent[];
}

/** Events at most in a schedule read from the command line. */
const EVENTS_MAX = 100_000;

export function nodeIds(nodes: number): NodeId[] {
  return Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
}

/** The fault schedule a seed gives: per step, each fault by its rate. */
export function generateSchedule(seed: number, nodes: number, steps: number, f: FaultOptions): Schedule {
  const rng = seededRng((seed ^ 0x6a09e667) >>> 0);
  const ids = nodeIds(nodes);
  const pick = <T>(items: T[]): T => items[Math.floor(rng() * items.length)] as T;
  const events: FaultEvent[] = [];
  let partitionEnds = 0;
  // A stream of its own: turning membership changes on leaves a seed's other faults as they were.
  const memberRng = seededRng((seed ^ 0x510e527f) >>> 0);
  for (let at = 1; at <= steps; at++) {
    if (rng() < f.crashRate) {
      const kind = rng() < f.tornShare ? "powercut" : "crash";
      events.push({ at, kind, node: pick(ids), downSteps: 1 + Math.floor(rng() * f.downTicksMax) });
    }
    if (rng() < f.corruptRate) events.push({ at, kind: "corrupt", node: pick(ids), downSteps: 1 + Math.floor(rng() * f.downTicksMax) });
    if (at >= partitionEnds && nodes > 1 && rng() < f.partitionRate) {
      const length = 1 + Math.floor(rng() * f.partitionTicksMax);
      events.push({ at, kind: "partition", groups: randomGroups(ids, rng), steps: length });
      partitionEnds = at + length;
    }
    if (f.rejoinRate > 0 && nodes >= 3 && memberRng() < f.rejoinRate) {
      const node = ids[Math.floor(memberRng() * ids.length)] as NodeId;
      events.push({ at, kind: "rejoin", node, downSteps: 1 + Math.floor(memberRng() * f.downTicksMax) });
    }
  }
  const net = { dropRate: f.dropRate, duplicateRate: f.duplicateRate, delayTicksMax: f.delayTicksMax };
  return { nodes, steps, net, diskDelayTicksMax: f.diskDelayTicksMax, events };
}

/** Two groups by a random cut. */
function randomGroups(ids: NodeId[], rng: () => number): NodeId[][] {
  const shuffled = [...ids];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as NodeId, shuffled[i] as NodeId];
  }
  const cut = 1 + Math.floor(rng() * (ids.length - 1));
  return [shuffled.slice(0, cut), shuffled.slice(cut)];
}

export function formatSchedule(s: Schedule): string {
  return JSON.stringify(s);
}

/** Reads a schedule as `formatSchedule` writes it; a bad one throws naming the field. */
export function parseSchedule(text: string): Schedule {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`--schedule is not JSON: ${(err as Error).message}`);
  }
  const o = raw as Record<string, unknown>;
  if (typeof raw !== "object" || raw === null) throw new Error("--schedule must be a JSON object");
  const int = (v: unknown, field: string, min: number, max: number): number => {
    if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max)
      throw new Error(`--schedule: ${field} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const rate = (v: unknown, field: string): number => {
    if (typeof v !== "number" || !(v >= 0 && v <= 1))
      throw new Error(`--schedule: ${field} must be a probability in [0, 1], got ${JSON.stringify(v)}`);
    return v;
  };
  const nodes = int(o.nodes, "nodes", 1, 15);
  const steps = int(o.steps, "steps", 1, 10_000_000);
  const net = (o.net ?? {}) as Record<string, unknown>;
  const ids = nodeIds(nodes);
  const node = (v: unknown, field: string): NodeId => {
    if (typeof v !== "string" || !ids.includes(v))
      throw new Error(`--schedule: ${field} must be one of ${ids.join(", ")}, got ${JSON.stringify(v)}`);
    return v;
  };
  if (!Array.isArray(o.events) || o.events.length > EVENTS_MAX)
    throw new Error(`--schedule: events must be an array of at most ${EVENTS_MAX}`);
  const events = o.events.map((raw: unknown, i): FaultEvent => {
    const e = (raw ?? {}) as Record<string, unknown>;
    const at = int(e.at, `events[${i}].at`, 1, steps);
    if (e.kind === "crash" || e.kind === "powercut" || e.kind === "corrupt" || e.kind === "rejoin") {
      return {
        at,
        kind: e.kind,
        node: node(e.node, `events[${i}].node`),
        downSteps: int(e.downSteps, `events[${i}].downSteps`, 1, 1_000_000),
      };
    }
    if (e.kind === "partition") {
      if (!Array.isArray(e.groups) || e.groups.some((g) => !Array.isArray(g)))
        throw new Error(`--schedule: events[${i}].groups must be an array of arrays of node ids`);
      const groups = (e.groups as unknown[][]).map((g, j) => g.map((n, k) => node(n, `events[${i}].groups[${j}][${k}]`)));
      return { at, kind: "partition", groups, steps: int(e.steps, `events[${i}].steps`, 1, 10_000_000) };
    }
    throw new Error(`--schedule: events[${i}].kind must be crash, powercut, corrupt, partition or rejoin, got ${JSON.stringify(e.kind)}`);
  });
  events.sort((a, b) => a.at - b.at);
  return {
    nodes,
    steps,
    net: {
      dropRate: rate(net.dropRate, "net.dropRate"),
      duplicateRate: rate(net.duplicateRate, "net.duplicateRate"),
      delayTicksMax: int(net.delayTicksMax, "net.delayTicksMax", 1, 10_000),
    },
    diskDelayTicksMax: int(o.diskDelayTicksMax, "diskDelayTicksMax", 0, 10_000),
    events,
  };
}
