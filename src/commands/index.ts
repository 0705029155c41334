import type { Command } from "commander";
import { registerGate } from "./gate.js";
import { registerServe } from "./serve.js";

/** Each command lives in its own file and registers itself here. */
export function registerCommands(program: Command): void {
  registerGate(program);
  registerServe(program);
}
