/**
 * The node command template of `--cluster command`: words split like a shell
 * does (quotes and backslashes, no expansion), then each {placeholder}
 * replaced by the node's value. No shell runs it, so the pid tob signals is
 * the node's own, and a value with spaces stays one argument.
 */
import type { NodePlan } from "../process/plan.js";

export const PLACEHOLDERS = {
  id: "the node's id: n1, n2, ...",
  host: "the address to bind: 127.0.0.1, or the node's namespace address with --net netns",
  http_port: "the port of the node's client API (tob's HTTP API)",
  peer_port: "the port the node listens on for its peers",
  data_dir: "the node's own folder, kept across restarts",
  peers: "the OTHER nodes as id=host:port, comma-separated: the addresses to dial (tob's proxy mesh, so partitions need no root)",
  http_peers: "the OTHER nodes' client APIs as id=http://host:port, comma-separated (for forwarding to a leader)",
} as const;

export type Placeholder = keyof typeof PLACEHOLDERS;

/** Splits a command line into words: '...' literal, "..." with \" and \\ escapes, \ escapes one character. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\" && (line[i + 1] === '"' || line[i + 1] === "\\")) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= "";
    } else if (c === "\\" && i + 1 < line.length) {
      word = (word ?? "") + line[++i];
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (quote) throw new Error(`unclosed ${quote} quote in the node command: ${line}`);
  if (word !== null) words.push(word);
  return words;
}

/** The placeholders a word uses; throws naming an unknown one. "{{" and "}}" stand for literal braces. */
export function placeholdersIn(word: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const m of word.replace(/\{\{|\}\}/g, "").matchAll(/\{([^{}]*)\}/g)) {
    const name = m[1]!;
    if (!(name in PLACEHOLDERS)) {
      throw new Error(
        `unknown placeholder {${name}} in the node command; known: ${Object.keys(PLACEHOLDERS)
          .map((p) => `{${p}}`)
          .join(" ")}`,
      );
    }
    found.push(name as Placeholder);
  }
  return found;
}

/** Checks a template once, before anything starts: words, quotes, placeholders. */
export function parseTemplate(template: string | readonly string[]): string[] {
  const words = typeof template === "string" ? splitWords(template) : [...template];
  if (words.length === 0 || words[0] === "") throw new Error("the node command is empty");
  for (const w of words) placeholdersIn(w);
  return words;
}

export function placeholderValues(node: NodePlan): Record<Placeholder, string> {
  return {
    id: node.id,
    host: node.host,
    http_port: String(node.httpPort),
    peer_port: String(node.peerPort),
    data_dir: node.dataDir,
    peers: node.peers.map((p) => `${p.id}=${p.addr}`).join(","),
    http_peers: node.peers.map((p) => `${p.id}=${p.httpUrl}`).join(","),
  };
}

/** A template's words with one node's values filled in. */
export function fill(words: readonly string[], node: NodePlan): string[] {
  const values = placeholderValues(node);
  return words.map((w) =>
    w.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (all, name: string | undefined) => {
      if (all === "{{") return "{";
      if (all === "}}") return "}";
      return values[name as Placeholder];
    }),
  );
}
