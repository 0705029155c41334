import { closeSync, openSync, readSync } from "node:fs";
import { extname } from "node:path";
import { InputError } from "./input-error.js";
import { readEdn } from "./edn.js";
import { readEtcdLog } from "./etcd-log.js";
import { readJsonl } from "./jsonl.js";
import type { Op } from "./op.js";
import { HISTORY_FORMATS, type HistoryFormat, type SourcedHistory } from "./source.js";

const SNIFF_BYTES = 4096;

function head(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (err) {
    throw new InputError(`cannot open ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, n).toString("utf8");
  } catch (err) {
    // A folder opens but does not read (EISDIR): an input error, not an internal one.
    throw new InputError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

/** The format of a history file, from its first bytes, then its extension. */
export function detectFormat(path: string): HistoryFormat {
  const start = head(path);
  const firstLine =
    start
      .split("\n")
      .find((l) => l.trim() !== "" && !l.trim().startsWith(";"))
      ?.trim() ?? "";
  if (firstLine.includes("jepsen.util - ")) return "porcupine-etcd";
  // any whitespace may sit between the brace and the first key: `{\t"index"` is JSONL too
  if (/^\{\s*"/.test(firstLine)) return "jsonl";
  if (/^\{\s*:/.test(firstLine) && /:key\s/.test(start)) return "porcupine-kv";
  // `#jepsen.history.Op{...}`: Jepsen 0.3 prints each op as a tagged record
  if (/^([[({]|#[A-Za-z])/.test(firstLine) || start.trimStart().startsWith(";")) return "edn";
  const ext = extname(path).toLowerCase();
  if (ext === ".jsonl" || ext === ".json") return "jsonl";
  if (ext === ".edn") return "edn";
  if (ext === ".log") return "porcupine-etcd";
  if (ext === ".txt") return "porcupine-kv";
  // An empty file (etcd_095.log) has nothing to sniff; it is a valid empty history.
  if (start.trim() === "") return "jsonl";
  throw new InputError(`${path}: cannot tell the history format; pass --format ${HISTORY_FORMATS.join("|")}`);
}

export function parseFormat(name: string): HistoryFormat {
  if ((HISTORY_FORMATS as readonly string[]).includes(name)) return name as HistoryFormat;
  throw new InputError(`unknown format ${JSON.stringify(name)}; known formats: ${HISTORY_FORMATS.join(", ")}`);
}

/** Reads a whole history in any known format (JSONL is streamed line by line). */
export async function readHistory(path: string, format?: HistoryFormat): Promise<SourcedHistory> {
  // Opening first turns a missing file into a clear error for every format.
  if (format !== undefined) head(path);
  const fmt = format ?? detectFormat(path);
  if (fmt === "edn" || fmt === "porcupine-kv") return readEdn(path, fmt);
  if (fmt === "porcupine-etcd") return readEtcdLog(path);
  const ops: Op[] = [];
  const lines: number[] = [];
  for await (const { op, line } of readJsonl(path)) {
    ops.push(op);
    lines.push(line);
  }
  return { ops, lines, format: "jsonl" };
}
