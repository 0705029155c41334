/**
 * Temporary folders that tests make and always remove. `tempDir` registers its
 * removal with the test (inside one) or with the file (at module level).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, onTestFinished } from "vitest";

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tob-${prefix}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    // Not inside a test: the file's end removes it.
    afterAll(remove);
  }
  return dir;
}
