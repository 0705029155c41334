import type { Command } from "commander";

type Register = (program: Command) => void;

/**
 * Each command lives in its own file. Only the invoked command's module is
 * loaded (all of them for help or an unknown name), so `tob check` does not pay
 * for Fastify, execa and autocannon at start-up.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  run: async () => (await import("./run.js")).registerRun,
  check: async () => (await import("./check.js")).registerCheck,
  report: async () => (await import("./report.js")).registerReport,
  bench: async () => (await import("./bench.js")).registerBench,
  gate: async () => (await import("./gate.js")).registerGate,
  serve: async () => (await import("./serve.js")).registerServe,
  cluster: async () => (await import("./cluster.js")).registerCluster,
  sim: async () => (await import("./sim.js")).registerSim,
  conform: async () => (await import("./conform.js")).registerConform,
  maelstrom: async () => (await import("./maelstrom.js")).registerMaelstrom,
};

export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const invoked = argv.slice(2).find((arg) => !arg.startsWith("-"));
  const names = invoked !== undefined && invoked in COMMANDS ? [invoked] : Object.keys(COMMANDS);
  for (const name of names) (await COMMANDS[name]!())(program);
}
