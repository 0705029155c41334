import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { InputError } from "../history/input-error.js";

/** Always histories inside a folder; .log and .txt only when they read like Porcupine's logs (run folders hold node logs too). */
const HISTORY_EXTENSIONS = new Set([".jsonl", ".edn"]);
const SNIFFED: Record<string, RegExp> = { ".log": /jepsen\.util - /, ".txt": /^\s*\{\s*:/ };
/** A folder walk is bounded: a mistaken `tob check /` must not take the afternoon. */
const FILES_MAX = 10_000;

function head(path: string): string {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(1024);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function walk(dir: string, out: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.isFile() && isHistory(path)) out.push(path);
    if (out.length > FILES_MAX) throw new InputError(`${dir}: more than ${FILES_MAX} histories; name a smaller folder`);
  }
}

function isHistory(path: string): boolean {
  const ext = extname(path).toLowerCase();
  if (HISTORY_EXTENSIONS.has(ext)) return true;
  return SNIFFED[ext]?.test(head(path)) ?? false;
}

/** The history files named: files as given, folders walked (sorted, dot names skipped). */
export function collectHistories(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch (err) {
      throw new InputError(`cannot open ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (!isDir) {
      out.push(path);
      continue;
    }
    const before = out.length;
    walk(path, out);
    if (out.length === before)
      throw new InputError(`${path}: no histories in this folder (looked for *.jsonl, *.edn, and Porcupine *.log/*.txt)`);
  }
  return out;
}
