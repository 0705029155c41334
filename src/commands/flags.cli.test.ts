/**
 * Every numeric or enumerated flag of every command, given a bad value, ends
 * the built CLI with exit 2 and commander's message naming the flag, before
 * anything starts: no stack trace, no output on stdout. Runs the built CLI:
 * run `npx tsc -p .` first.
 */
import { Command } from "commander";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { EXIT_INPUT } from "../exit.js";
import { distPath } from "../paths.js";
import { registerCommands } from "./index.js";

/** [the command's words, the bad flag, its value, what else it needs to parse]. */
type Case = [command: string, flag: string, value: string, rest?: string[]];

const CASES: Case[] = [
  ["run", "--workload", "nope"],
  ["run", "--nodes", "0"],
  ["run", "--nodes", "2.5"],
  ["run", "--nemesis", "kill,sneeze"],
  ["run", "--nemesis", "delay+partition"],
  ["run", "--time", "-1"],
  ["run", "--recovery", "soon"],
  ["run", "--concurrency", "0"],
  ["run", "--rate", "x"],
  ["run", "--seed", "-1"],
  ["run", "--bug", "nope"],
  ["run", "--net", "wifi"],
  ["run", "--nemesis-interval", "0"],
  ["run", "--nemesis-duration", "1e9"],
  ["run", "--op-timeout", "0"],
  ["check", "--checker", "nope", ["h.jsonl"]],
  ["check", "--model", "nope", ["h.jsonl"]],
  ["check", "--initial", "{x:0}", ["h.jsonl"]],
  ["check", "--consistency-models", "nope", ["h.jsonl"]],
  ["check", "--format", "csv", ["h.jsonl"]],
  ["check", "--timeout", "0", ["h.jsonl"]],
  ["bench throughput", "--cluster", "raft,nope"],
  ["bench throughput", "--nodes", "0"],
  ["bench throughput", "--ops", "put,sneeze"],
  ["bench throughput", "--connections", "1,x"],
  ["bench throughput", "--payload", "0"],
  ["bench throughput", "--pipelining", "65"],
  ["bench throughput", "--raft-inflight", "0"],
  ["bench throughput", "--raft-batch", "x"],
  ["bench throughput", "--duration", "0"],
  ["bench throughput", "--trials", "0"],
  ["bench throughput", "--rate", "-5"],
  ["bench failover", "--cluster", "nope"],
  ["bench failover", "--nodes", "2"],
  ["bench failover", "--trials", "0"],
  ["bench failover", "--writers", "x"],
  ["bench compare", "--nodes", "0"],
  ["bench compare", "--connections", "0"],
  ["bench compare", "--payload", "x"],
  ["bench compare", "--duration", "0"],
  ["bench compare", "--rounds", "21"],
  ["bench compare", "--failover-trials", "0"],
  ["bench detect", "--bug", "nope"],
  ["bench detect", "--seeds", "0"],
  ["bench detect", "--seed-list", "1,x"],
  ["bench detect", "--time", "0"],
  ["bench detect", "--parallel", "9"],
  ["bench detect", "--run-timeout", "0"],
  ["gate", "--compare", "sideways"],
  ["gate", "--throughput-tolerance", "-1"],
  ["gate", "--p99-tolerance", "x"],
  ["gate", "--rounds", "3"],
  ["gate", "--confidence", "1"],
  ["gate", "--min-throughput-drop", "2"],
  ["gate", "--min-p99-rise", "x"],
  ["serve", "--port", "70000"],
  ["serve", "--body-limit", "0"],
  ["serve", "--sync-max", "lots"],
  ["serve", "--timeout", "0"],
  ["serve", "--max-timeout", "x"],
  ["serve", "--workers", "0"],
  ["serve", "--queue", "-1"],
  ["serve", "--max-checks", "0"],
  ["serve", "--worker-heap", "1"],
  ["maelstrom test", "--workload", "nope", ["--bin", "x"]],
  ["maelstrom test", "--node-count", "0"],
  ["maelstrom test", "--time-limit", "0"],
  ["maelstrom test", "--rate", "0"],
  ["maelstrom test", "--concurrency", "lots"],
  ["maelstrom test", "--latency", "-1"],
  ["maelstrom test", "--latency-dist", "nope"],
  ["maelstrom test", "--nemesis", "sneeze"],
  ["maelstrom test", "--nemesis-interval", "0"],
  ["maelstrom test", "--nemesis-duration", "x"],
  ["maelstrom test", "--topology", "nope"],
  ["maelstrom test", "--key-count", "0"],
  ["maelstrom test", "--max-txn-length", "0"],
  ["maelstrom test", "--max-writes-per-key", "0"],
  ["maelstrom test", "--recovery", "-1"],
  ["maelstrom test", "--timeout", "0"],
  ["maelstrom test", "--init-timeout", "x"],
  ["maelstrom test", "--seed", "1.5"],
  ["cluster", "--nodes", "0", ["start", "--dir", "unused"]],
  ["conform", "--nodes", "10"],
  ["conform", "--op-timeout", "0"],
  ["sim", "--seed", "-1"],
  ["sim", "--runs", "0"],
  ["sim", "--nodes", "16"],
  ["sim", "--steps", "x"],
  ["sim", "--faults", "sneeze"],
  ["sim", "--bug", "nope"],
  ["sim", "--schedule", "{"],
];

/** Maelstrom's test needs its two mandatory flags to get as far as the bad one. */
const NEEDS: Record<string, string[]> = { "maelstrom test": ["-w", "echo", "--bin", "x"] };

async function tob(args: string[]) {
  return execa(process.execPath, [distPath("src/cli.js"), ...args], { reject: false, timeout: 30_000 });
}

describe.concurrent("a bad flag value is an input error naming the flag", () => {
  for (const [command, flag, value, rest] of CASES) {
    it(`tob ${command} ${flag} ${value}`, async () => {
      const r = await tob([...command.split(" "), ...(rest ?? NEEDS[command] ?? []), flag, value]);
      expect(r.exitCode, r.stderr).toBe(EXIT_INPUT);
      expect(r.stderr).toMatch(
        new RegExp(`option '(-\\w, )?${flag} <[^>]+>' argument '${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}' is invalid`),
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe("");
    });
  }

  it("an unknown action is refused naming the argument and the choices", async () => {
    const r = await tob(["cluster", "restart", "--dir", "unused"]);
    expect(r.exitCode).toBe(EXIT_INPUT);
    expect(r.stderr).toMatch(
      /command-argument value 'restart' is invalid for argument 'action'\. Allowed choices are start, status, stop\b/,
    );
  });

  it("covers every flag that parses or chooses, and no command leaves a number to its action", async () => {
    const program = new Command();
    await registerCommands(program, ["node", "tob"]);
    const covered = new Set(CASES.map(([c, flag]) => `${c} ${flag}`));
    const uncovered: string[] = [];
    const unparsed: string[] = [];
    const walk = (command: Command, path: string[]) => {
      for (const o of command.options) {
        const name = `${path.join(" ")} ${o.long}`;
        if ((o.parseArg || o.argChoices) && !covered.has(name)) uncovered.push(name);
        if (!o.parseArg && typeof o.defaultValue === "string" && /^\d+(\.\d+)?$/.test(o.defaultValue)) unparsed.push(name);
      }
      for (const sub of command.commands) walk(sub, [...path, sub.name()]);
    };
    for (const sub of program.commands) walk(sub, [sub.name()]);
    expect(uncovered).toEqual([]);
    expect(unparsed).toEqual([]);
    expect(covered.size).toBeGreaterThan(80);
  });
});
