import { InputError } from "./input-error.js";

/** One top-level element of an EDN history, with the line it starts on. */
export interface EdnForm {
  text: string;
  line: number;
}

const MAX_DEPTH = 10_000;

/**
 * Splits an EDN history into its op forms without parsing them, so that each
 * op can be parsed alone and a malformed one reported with its line. A file
 * is either one collection of ops (`[...]` or `(...)`, Knossos) or a sequence
 * of top-level maps (Porcupine's kv logs). Strings, `;` comments and `\c`
 * characters are skipped so their brackets do not count.
 */
export function splitEdnForms(text: string, file: string): EdnForm[] {
  const forms: EdnForm[] = [];
  let line = 1;
  let depth = 0;
  let base = 0; // 1 inside the outer collection
  let sawOuter = false;
  let start = -1;
  let startLine = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") line++;
    if (c === ";") {
      while (i + 1 < text.length && text[i + 1] !== "\n") i++;
      continue;
    }
    if (c === '"') {
      if (start < 0) throw new InputError(`${file} line ${line}: expected an op map, found a string`);
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === "\\") i++;
        else if (text[i] === "\n") line++;
      }
      continue;
    }
    if (c === "\\") {
      i++;
      continue;
    }
    const isSpace = c === " " || c === "\t" || c === "\n" || c === "\r" || c === ",";
    if (depth === base && start < 0) {
      if (isSpace) continue;
      if (!sawOuter && forms.length === 0 && (c === "[" || c === "(")) {
        sawOuter = true;
        base = 1;
        depth = 1;
        continue;
      }
      if (base === 1 && (c === "]" || c === ")")) {
        depth = 0;
        base = -1; // the outer collection is closed: only whitespace may follow
        continue;
      }
      if (c !== "{" && c !== "#") {
        throw new InputError(`${file} line ${line}: expected an op map ({...}), found ${JSON.stringify(c)}`);
      }
      start = i;
      startLine = line;
    } else if (depth < base || base < 0) {
      if (!isSpace) throw new InputError(`${file} line ${line}: unexpected ${JSON.stringify(c)} after the end of the history`);
      continue;
    }
    if (c === "{" || c === "[" || c === "(") {
      depth++;
      if (depth > MAX_DEPTH) throw new InputError(`${file} line ${line}: forms nested deeper than ${MAX_DEPTH}`);
    } else if (c === "}" || c === "]" || c === ")") {
      depth--;
      if (depth < base) throw new InputError(`${file} line ${line}: unbalanced ${JSON.stringify(c)}`);
      if (depth === base) {
        forms.push({ text: text.slice(start, i + 1), line: startLine });
        start = -1;
      }
    }
  }
  if (start >= 0) throw new InputError(`${file} line ${startLine}: op map is not closed before the end of the file`);
  if (base === 1) throw new InputError(`${file} line ${line}: the history's outer collection is not closed`);
  return forms;
}
