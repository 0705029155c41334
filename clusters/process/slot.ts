/**
 * A node's process as a cluster holds it, and the process faults on it, one
 * way for every kind that runs its nodes as processes (raft, etcd, the
 * managed kinds): kill is SIGKILL and leaves the slot empty; pause is SIGSTOP
 * and resume SIGCONT, both remembered so that a paused node is not asked.
 */
import type { NodeProcess } from "./node-process.js";

export interface ProcessSlot {
  /** Null when killed or not started yet. */
  process: NodeProcess | null;
  /** Between SIGSTOP and SIGCONT. */
  paused: boolean;
}

/** SIGKILL; a node already down stays down. */
export async function killSlot(slot: ProcessSlot): Promise<void> {
  await slot.process?.kill();
  slot.process = null;
  slot.paused = false;
}

/** SIGSTOP; `name` ("raft: n2") says which node is not running, when it is not. */
export function pauseSlot(slot: ProcessSlot, name: string): void {
  if (!slot.process?.alive) throw new Error(`${name} is not running`);
  slot.process.signal("SIGSTOP");
  slot.paused = true;
}

/** SIGCONT; a node killed while paused has nothing to resume. */
export function resumeSlot(slot: ProcessSlot): void {
  slot.process?.signal("SIGCONT");
  slot.paused = false;
}

/** Running and not paused: a node worth asking. */
export function answering(slot: ProcessSlot): boolean {
  return slot.process?.alive === true && !slot.paused;
}
