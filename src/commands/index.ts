import type { Command } from "commander";
import { registerCheck } from "./check.js";
import { registerCluster } from "./cluster.js";
import { registerGate } from "./gate.js";
import { registerBench } from "./bench.js";
import { registerSim } from "./sim.js";
import { registerReport } from "./report.js";
import { registerRun } from "./run.js";
import { registerServe } from "./serve.js";

/** Each command lives in its own file and registers itself here. */
export function registerCommands(program: Command): void {
  registerCheck(program);
  registerCluster(program);
  registerGate(program);
  registerBench(program);
  registerSim(program);
  registerRun(program);
  registerReport(program);
  registerServe(program);
}
