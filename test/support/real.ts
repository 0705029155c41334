/**
 * Tests that need a real part of the machine (root, etcd, Chromium, nftables,
 * the shared corpus, ...) ask for it here, and only here. On a developer's
 * machine a missing part skips the test and says which part; in CI
 * (`TOB_REQUIRE_REAL=1`, set by .ci/run) it fails the test instead, naming the
 * part, so a CI run cannot pass by skipping what it was meant to exercise.
 */
import { existsSync } from "node:fs";
import { describe, it } from "vitest";
import { CORPUS_DIR, corpusAvailable } from "../../checkers/linearizability/corpus.js";
import { etcdMissing } from "../../clusters/etcd/test-support.js";
import { netnsAvailable } from "../../src/nemesis/netns/available.js";
import { distPath } from "../../src/paths.js";

/** A part a test needs: its name, and why it is missing here (null: present). */
export interface Part {
  name: string;
  missing: string | null;
}

export const REQUIRE_REAL = process.env.TOB_REQUIRE_REAL === "1";

export function part(name: string, missing: string | null): Part {
  return { name, missing };
}

/** The first missing part among `parts`, or null when all are present. */
function firstMissing(parts: readonly Part[]): Part | null {
  return parts.find((p) => p.missing !== null) ?? null;
}

function requiredMessage(p: Part): string {
  return `${p.name} is required here (TOB_REQUIRE_REAL=1) but missing: ${p.missing}`;
}

/**
 * `describe` that runs only when every part is present. Missing one, it is
 * skipped (title says which part and why), or under TOB_REQUIRE_REAL=1 it is
 * replaced by one failing test naming the part.
 */
export function describeWith(parts: readonly Part[], title: string, body: () => void): void {
  const gone = firstMissing(parts);
  if (gone === null) {
    describe(title, body);
  } else if (REQUIRE_REAL) {
    describe(title, () => {
      it(`needs ${gone.name}`, () => {
        throw new Error(requiredMessage(gone));
      });
    });
  } else {
    describe.skip(`${title} (skipped: ${gone.name} missing: ${gone.missing})`, body);
  }
}

/** `it` with the same rule as describeWith. */
export function itWith(parts: readonly Part[], title: string, body: () => Promise<void> | void, timeoutMs?: number): void {
  const gone = firstMissing(parts);
  if (gone === null) {
    it(title, body, timeoutMs);
  } else if (REQUIRE_REAL) {
    it(`${title} (needs ${gone.name})`, () => {
      throw new Error(requiredMessage(gone));
    });
  } else {
    it.skip(`${title} (skipped: ${gone.name} missing: ${gone.missing})`, body);
  }
}

/** Debian's Chromium, driven by playwright-core in the browser tests. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

export function chromiumPart(): Part {
  return part("chromium", existsSync(CHROMIUM_PATH) ? null : `${CHROMIUM_PATH} is absent (apt-get install chromium)`);
}

export async function etcdPart(): Promise<Part> {
  return part("etcd", await etcdMissing());
}

/** Root, iproute2, nftables and a kernel that lets us make a namespace with a table. */
export async function netnsPart(): Promise<Part> {
  const availability = await netnsAvailable();
  return part("netns (root + nftables)", availability.ok ? null : (availability.reason ?? "unavailable"));
}

export function corpusPart(): Part {
  return part("corpus", corpusAvailable() ? null : `no EXPECTED.tsv in ${CORPUS_DIR} (set TOB_CORPUS)`);
}

export function builtCliPart(): Part {
  const cli = distPath("src/cli.js");
  return part("built CLI", existsSync(cli) ? null : `${cli} is absent (npm run build)`);
}
