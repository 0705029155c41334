import { readFileSync } from "node:fs";
import { parseElleEdn } from "../elle/index.js";
import { detectFormat, readHistory } from "../../src/history/formats.js";
import { InputError } from "../../src/history/input-error.js";
import type { HistoryFormat, SourcedHistory } from "../../src/history/source.js";

/**
 * Reads a history in any format for any checker. Jepsen's EDN histories of
 * Elle workloads may lack fields every other history has (:process, :f,
 * invocations): when the general reader refuses an EDN file, Elle's reader
 * gets a try, and if it refuses too the general reader's error stands.
 */
export async function readForCheck(path: string, format?: HistoryFormat): Promise<SourcedHistory> {
  const detected = format ?? detectFormat(path);
  try {
    return await readHistory(path, detected);
  } catch (err) {
    if (!(err instanceof InputError) || detected !== "edn") throw err;
    try {
      const source = parseElleEdn(readFileSync(path, "utf8"), path);
      return { ...source, format: "edn" };
    } catch {
      throw err;
    }
  }
}
