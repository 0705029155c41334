#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { EXIT_INPUT } from "./exit.js";
import { registerCommands } from "./commands/index.js";

const program = new Command();
program
  .name("tob")
  .description("A workbench for total order broadcast: clusters, nemesis runs, checkers, reports")
  .version("0.1.0")
  .exitOverride()
  .showHelpAfterError(false);

await registerCommands(program, process.argv);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version exit through here with code 0.
    process.exitCode = err.exitCode === 0 ? 0 : EXIT_INPUT;
  } else {
    throw err;
  }
}
