import { readFileSync } from "node:fs";

const LOG_TAIL_LINES = 20;

/** The last lines of a node's log, for error messages that name the node. */
export function logTail(file: string, lines = LOG_TAIL_LINES): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return `(no log at ${file})`;
  }
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
