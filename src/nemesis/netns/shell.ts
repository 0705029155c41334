import { execa, execaSync } from "execa";

/**
 * The few ways the netns backend runs `ip`, `nft` and `tc`. Every command is an
 * argv array (never a shell string), so host names cannot inject anything.
 */

function describe(file: string, args: readonly string[]): string {
  return [file, ...args].join(" ");
}

/** Runs a command; throws with its stderr when it fails. */
export async function run(file: string, args: readonly string[], input?: string): Promise<string> {
  const result = await execa(file, args, { input, reject: false, stdin: input === undefined ? "ignore" : undefined });
  if (result.failed) {
    const why = result.stderr.trim() || result.shortMessage;
    throw new Error(`netns: \`${describe(file, args)}\` failed: ${why}`);
  }
  return result.stdout;
}

/** Runs a command whose failure is expected and harmless (e.g. deleting what is already gone). */
export async function runTolerant(file: string, args: readonly string[]): Promise<boolean> {
  const result = await execa(file, args, { reject: false, stdin: "ignore" });
  return !result.failed;
}

/** The synchronous twin of runTolerant, for clean-up at process exit. */
export function runTolerantSync(file: string, args: readonly string[]): boolean {
  const result = execaSync(file, args, { reject: false, stdin: "ignore" });
  return !result.failed;
}
