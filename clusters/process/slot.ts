/**
 * A node's process as a cluster holds it, and the process faults on it, one
 * way for every kind that runs its nodes as processes (raft, etcd, the
 * managed kinds): kill is SIGKILL and leaves the slot empty; pause is SIGSTOP
 * and resume SIGCONT, both remembered so that a paused node is not asked.
 */
import { describeExit, NodeProcess, type SpawnOptions } from "./node-process.js";
import { untilStopped } from "./stopped.js";

/** Told when a node's process ends without being asked to: the node and how it ended. */
export type CrashListener = (node: string, how: string) => void;

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
export async function pauseSlot(slot: ProcessSlot, name: string): Promise<void> {
  const proc = slot.process;
  if (!proc?.alive) throw new Error(`${name} is not running`);
  proc.signal("SIGSTOP");
  slot.paused = true;
  // Returns once the node can no longer answer, so the pause's interval starts
  // here. Never throws past this point: the signal is queued and the node will
  // stop (a thread in a long fsync stops when it returns), and a caller that saw
  // a throw would not know to resume it.
  await untilStopped(proc.pid, PAUSE_CONFIRM_TIMEOUT_MS);
}

/** Generous: a stop takes microseconds when a core is free, milliseconds under load. */
const PAUSE_CONFIRM_TIMEOUT_MS = 5_000;

/** SIGCONT; a node killed while paused has nothing to resume. */
export function resumeSlot(slot: ProcessSlot): void {
  slot.process?.signal("SIGCONT");
  slot.paused = false;
}

/** Running and not paused: a node worth asking. */
export function answering(slot: ProcessSlot): boolean {
  return slot.process?.alive === true && !slot.paused;
}

/**
 * Starts the slot's process (running, not paused). Its crashes go to every
 * listener in `crashListeners` at the time of the crash, so listeners added
 * after the spawn hear of it too.
 */
export async function spawnSlot(slot: ProcessSlot, opts: SpawnOptions, crashListeners: readonly CrashListener[] = []): Promise<void> {
  slot.process = await NodeProcess.spawn(opts);
  slot.paused = false;
  slot.process.onCrash((exit) => {
    for (const listener of crashListeners) listener(opts.id, describeExit(exit));
  });
}

/** Ends every slot's process (SIGTERM, then SIGKILL after its grace) and empties the slots. */
export async function stopSlots(slots: readonly ProcessSlot[]): Promise<void> {
  await Promise.all(slots.map((s) => s.process?.stop()));
  for (const s of slots) s.process = null;
}
