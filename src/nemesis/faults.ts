/**
 * The fault kinds `--nemesis` accepts. Each names what it does and whom it
 * aims at; the nemesis (./nemesis.ts) carries them out.
 */
import type { Shape } from "./shapes.js";

export type Target = "one" | "leader" | "minority";

export type FaultSpec =
  | { action: "kill" | "pause"; target: Target }
  | { action: "partition"; shape: Shape | "leader" | "any" }
  | { action: "one-way" }
  | { action: "delay"; delayMs: number }
  | { action: "membership" };

export const FAULTS: Readonly<Record<string, { spec: FaultSpec; about: string }>> = {
  kill: { spec: { action: "kill", target: "one" }, about: "SIGKILL a random node, restart it later" },
  "kill-leader": { spec: { action: "kill", target: "leader" }, about: "SIGKILL the leader, restart it later" },
  "kill-minority": { spec: { action: "kill", target: "minority" }, about: "SIGKILL a minority of nodes, restart them later" },
  pause: { spec: { action: "pause", target: "one" }, about: "SIGSTOP a random node, SIGCONT it later" },
  "pause-leader": { spec: { action: "pause", target: "leader" }, about: "SIGSTOP the leader, SIGCONT it later" },
  "pause-minority": { spec: { action: "pause", target: "minority" }, about: "SIGSTOP a minority of nodes" },
  partition: { spec: { action: "partition", shape: "any" }, about: "a random shape: one, leader, halves, bridge or ring" },
  "partition-one": { spec: { action: "partition", shape: "one" }, about: "isolate a random node" },
  "partition-leader": { spec: { action: "partition", shape: "leader" }, about: "isolate the leader" },
  "partition-halves": { spec: { action: "partition", shape: "halves" }, about: "split into a minority and a majority" },
  "partition-bridge": { spec: { action: "partition", shape: "bridge" }, about: "two halves joined by one bridge node" },
  "partition-ring": { spec: { action: "partition", shape: "ring" }, about: "each node hears only its ring neighbours" },
  "one-way": { spec: { action: "one-way" }, about: "a node's outgoing (or incoming) peer messages are lost" },
  delay: { spec: { action: "delay", delayMs: 40 }, about: "every peer message arrives 40 ms late (below election timeouts)" },
  membership: {
    spec: { action: "membership" },
    about: "remove a random node from the configuration, then add it back as a new, empty member (its data wiped)",
  },
};

export const FAULT_NAMES = Object.keys(FAULTS);

/**
 * A composite fault "a+b" runs a from the fault's start and b from its
 * midpoint, and undoes both at its end: e.g. "delay+kill-leader" kills a
 * leader whose followers lag, so what it acknowledged alone is lost.
 */
export function faultParts(name: string): string[] {
  return name.split("+");
}

/** Faults that slow links (the netns backend needs tc netem for them). */
export function isDelayFault(name: string): boolean {
  return faultParts(name).some((part) => FAULTS[part]?.spec.action === "delay");
}

/** Faults that change the cluster's membership (the kind must declare it can). */
export function isMembershipFault(name: string): boolean {
  return faultParts(name).some((part) => FAULTS[part]?.spec.action === "membership");
}

/** Faults that need a network backend. */
export function isNetworkFault(name: string): boolean {
  return faultParts(name).some((part) => {
    const action = FAULTS[part]?.spec.action;
    return action === "partition" || action === "one-way" || action === "delay";
  });
}
