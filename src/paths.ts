import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package root, found by walking up from this file to package.json. Works
 * both from the sources (vitest) and from dist/ (the built CLI).
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    if (existsSync(join(dir, "package.json"))) return dir;
    dir = dirname(dir);
  }
  throw new Error("tob: package.json not found above " + fileURLToPath(import.meta.url));
}

export const PACKAGE_ROOT = findRoot();

/** The compiled JavaScript of a source file, e.g. distPath("clusters/raft/node/main.js"). */
export function distPath(relativeJs: string): string {
  return join(PACKAGE_ROOT, "dist", relativeJs);
}
