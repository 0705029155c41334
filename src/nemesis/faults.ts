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
  | { action: "delay"; delayMs: number };

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
  delay: { spec: { action: "delay", delayMs: 100 }, about: "every peer message arrives 100 ms late" },
};

export const FAULT_NAMES = Object.keys(FAULTS);

/** Faults that need a network backend. */
export function isNetworkFault(name: string): boolean {
  const action = FAULTS[name]?.spec.action;
  return action === "partition" || action === "one-way" || action === "delay";
}
