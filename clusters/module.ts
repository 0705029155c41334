/**
 * `--cluster ./adapter.mjs`: a cluster kind from a module of the user's, made
 * with defineCluster() (./define.ts). Loading it is the user's input: a
 * missing file, a module that throws, or one that exports no kind is a
 * KindError naming the file.
 */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type ClusterKind, KindError } from "./kind.js";

/** A --cluster value that names a file rather than a registered kind. */
export function looksLikeModule(cluster: string): boolean {
  return /[/\\]/.test(cluster) || /\.[cm]?js$/.test(cluster);
}

export async function loadAdapter(path: string, cwd: string): Promise<ClusterKind> {
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  if (!existsSync(file)) throw new KindError(`--cluster ${path}: no such file (${file})`);
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw new KindError(`--cluster ${path}: the module could not be loaded: ${(err as Error)?.message ?? String(err)}`);
  }
  const candidates = [exports.default, exports.cluster, ...Object.values(exports)];
  const kind = candidates.find(isClusterKind);
  if (!kind) {
    const names = Object.keys(exports);
    throw new KindError(
      `--cluster ${path}: the module exports no cluster kind (exports: ${names.length ? names.join(", ") : "none"}); ` +
        `write: import { defineCluster } from "tob"; export default defineCluster({ name, features, node, client })`,
    );
  }
  return kind;
}

/** Judged by shape, not by identity: the module may import another installed copy of tob than the CLI's. */
function isClusterKind(value: unknown): value is ClusterKind {
  if (typeof value !== "object" || value === null) return false;
  const k = value as Partial<ClusterKind>;
  const shaped =
    typeof k.name === "string" &&
    Array.isArray(k.features) &&
    Array.isArray(k.readModes) &&
    Array.isArray(k.networks) &&
    Array.isArray(k.bugs) &&
    typeof k.create === "function" &&
    typeof k.version === "function";
  return shaped;
}
