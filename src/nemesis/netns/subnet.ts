import { run } from "./shell.js";

/**
 * Picking a /24 that no interface or route on this machine already uses, so
 * that concurrent tests (each with its own NetnsNetwork) do not collide.
 */

const BASE = "10.77";
const PICK_ATTEMPTS_MAX = 64;

/** The "a.b.c" prefixes of every IPv4 address and route present now. */
async function usedBases(): Promise<Set<string>> {
  const text = (await run("ip", ["-4", "-o", "addr", "show"])) + "\n" + (await run("ip", ["-4", "route", "show"]));
  const used = new Set<string>();
  for (const match of text.matchAll(/\b(\d+\.\d+\.\d+)\.\d+/g)) used.add(match[1]!);
  return used;
}

export async function pickFreeSubnetBase(): Promise<string> {
  const used = await usedBases();
  for (let attempt = 0; attempt < PICK_ATTEMPTS_MAX; attempt++) {
    const candidate = `${BASE}.${Math.floor(Math.random() * 256)}`;
    if (!used.has(candidate)) return candidate;
  }
  throw new Error(`netns: no free ${BASE}.X.0/24 subnet after ${PICK_ATTEMPTS_MAX} tries`);
}

/** True when an interface other than `ownInterface` holds an address in `base`.0/24. */
export async function subnetUsedElsewhere(base: string, ownInterface: string): Promise<boolean> {
  const text = await run("ip", ["-4", "-o", "addr", "show"]);
  return text.split("\n").some((line) => line.includes(` ${base}.`) && !new RegExp(`^\\d+:\\s+${ownInterface}\\s`).test(line));
}
