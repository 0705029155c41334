import { parentPort } from "node:worker_threads";
import { makeModel } from "./models/index.js";
import { Schedule } from "./schedule.js";
import { CANCELLED, NEXT, type WorkerTask } from "./task.js";
import { decodePartition, partitionCount } from "./wire.js";

/** A thread whose partitions are still undecided after this long claims another one too, so one explosive partition cannot hide an illegal one queued behind it. */
const CLAIM_AGAIN_MS = 25;

function runTask(task: WorkerTask) {
  const control = new Int32Array(task.control);
  const count = partitionCount(task.partitions);
  const model = makeModel(task.modelName, task.initial);
  const cancelled = () => Atomics.load(control, CANCELLED) === 1;
  const schedule = new Schedule(model, [], {
    deadlineMs: task.deadlineMs,
    memoryBytesMax: task.memoryBytesMax,
    cancelled,
  });
  const claim = (): boolean => {
    if (cancelled()) return false;
    const k = Atomics.add(control, NEXT, 1);
    if (k >= count) return false;
    schedule.add(decodePartition(task.partitions, k));
    return true;
  };
  let queueOpen = claim();
  // Bounded: each turn either claims one of `count` partitions or works until the deadline stops the schedule.
  for (let turn = 0; ; turn++) {
    if (schedule.done()) {
      if (schedule.illegal() || !queueOpen) break;
      queueOpen = claim();
      continue;
    }
    schedule.work(CLAIM_AGAIN_MS);
    if (!schedule.done() && queueOpen) queueOpen = claim();
  }
  if (schedule.illegal()) Atomics.store(control, CANCELLED, 1);
  return schedule.partitionResults();
}

// A persistent thread: one task per message, so its compiled code stays warm across checks.
parentPort?.on("message", (task: WorkerTask) => {
  parentPort?.postMessage(runTask(task));
});
