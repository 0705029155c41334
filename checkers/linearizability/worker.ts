import { parentPort } from "node:worker_threads";
import { makeModel } from "./models/index.js";
import type { Partition } from "./partition.js";
import { Schedule } from "./schedule.js";

/** One thread's share of a check; plain data, since models cannot cross threads (they are rebuilt by name). */
export interface WorkerTask {
  modelName: string;
  initial: unknown;
  partitions: Partition[];
  deadlineMs: number;
  memoryBytesMax: number;
}

parentPort?.once("message", (task: WorkerTask) => {
  const model = makeModel(task.modelName, task.initial);
  const schedule = new Schedule(model, task.partitions, { deadlineMs: task.deadlineMs, memoryBytesMax: task.memoryBytesMax });
  // Nothing else runs in this thread: work to the end in one go.
  schedule.work(Infinity);
  parentPort?.postMessage(schedule.partitionResults());
  parentPort?.close();
});
