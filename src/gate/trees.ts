import { existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { InputError } from "../history/input-error.js";

/**
 * The two trees an A/B gate runs: the candidate (by default the tob that is running)
 * and the base, either a built tree given as a folder or a git ref that is exported
 * and built here. A tree is usable when it holds `dist/src/cli.js`.
 */

/** Build and install steps never run longer than this. */
const BUILD_TIMEOUT_MS = 10 * 60_000;
const OUTPUT_TAIL_LINES = 15;

export function cliOf(tree: string): string {
  return join(tree, "dist", "src", "cli.js");
}

/** A tree given by the user must already be built. */
export function requireBuiltTree(tree: string, flag: string): string {
  const root = resolve(tree);
  if (!existsSync(cliOf(root))) throw new InputError(`${flag} ${tree}: no dist/src/cli.js there; build it first (npm run build)`);
  return root;
}

function tail(text: string): string {
  return text.trim().split("\n").slice(-OUTPUT_TAIL_LINES).join("\n");
}

async function step(what: string, ref: string, file: string, args: string[], cwd: string): Promise<void> {
  const result = await execa(file, args, { cwd, reject: false, all: true, stdin: "ignore", timeout: BUILD_TIMEOUT_MS });
  if (result.exitCode !== 0) {
    throw new InputError(
      `base ref ${ref} does not build: ${what} failed (exit ${result.exitCode ?? "killed"})\n${tail(String(result.all ?? ""))}`,
    );
  }
}

/**
 * Exports `ref` of the git repository at `repoDir` into `into` and builds it. Its
 * dependencies are the candidate's when the lock files match (a link, no install),
 * else installed with npm ci. Every failure is the user's input: exit 2 with the tail.
 */
export async function buildRefTree(
  ref: string,
  repoDir: string,
  candidateTree: string,
  into: string,
  log: (line: string) => void,
): Promise<string> {
  const sha = await execa("git", ["-C", repoDir, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
    reject: false,
    stdin: "ignore",
  });
  if (sha.exitCode !== 0) throw new InputError(`base ref ${JSON.stringify(ref)} is not a commit of the git repository at ${repoDir}`);
  const commit = sha.stdout.trim();
  mkdirSync(into, { recursive: true });
  log(`base ${ref} (${commit.slice(0, 12)}): exporting to ${into}`);
  await step(
    "git archive",
    ref,
    "bash",
    ["-c", `set -o pipefail; git -C "$1" archive "$2" | tar -x -C "$3"`, "archive", repoDir, commit, into],
    repoDir,
  );
  const lock = (tree: string) =>
    existsSync(join(tree, "package-lock.json")) ? readFileSync(join(tree, "package-lock.json"), "utf8") : null;
  const candidateModules = join(candidateTree, "node_modules");
  if (lock(into) !== null && lock(into) === lock(candidateTree) && existsSync(candidateModules)) {
    symlinkSync(candidateModules, join(into, "node_modules"), "dir");
  } else {
    log(`base ${ref}: installing its dependencies (npm ci)`);
    try {
      await step("npm ci", ref, "npm", ["ci", "--no-audit", "--no-fund"], into);
    } catch (err) {
      // An older lock may lack packages this registry mirror serves differently (e.g.
      // rollup's platform builds): npm install resolves them, in the throwaway export only.
      log(`base ${ref}: npm ci failed; trying npm install (${(err as Error).message.split("\n")[0]})`);
      await step("npm install", ref, "npm", ["install", "--no-audit", "--no-fund"], into);
    }
  }
  log(`base ${ref}: building`);
  await step("npm run build", ref, "npm", ["run", "build"], into);
  if (!existsSync(cliOf(into))) throw new InputError(`base ref ${ref} does not build: npm run build wrote no dist/src/cli.js`);
  return into;
}
