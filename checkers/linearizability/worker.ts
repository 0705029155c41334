import { parentPort } from "node:worker_threads";
import { ClaimLoop } from "./claim.js";
import type { WorkerTask } from "./task.js";

// A persistent thread: one task per message, so its compiled code stays warm across checks.
parentPort?.on("message", (task: WorkerTask) => {
  const loop = new ClaimLoop(task);
  // Nothing else runs in this thread: work to the end in one go.
  loop.turn(Infinity);
  parentPort?.postMessage(loop.results());
});
