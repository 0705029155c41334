/**
 * `--cluster-file my-system.json`: everything the command kind needs to know
 * about a user's nodes, in one file. Every field is checked, and an error names
 * the file and the field.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { FEATURES, type Feature } from "../kind.js";
import { parseTemplate } from "./template.js";

export interface CommandSystem {
  /** The node command's words, placeholders unfilled. */
  words: string[];
  /** The folder the node command runs in. */
  cwd: string;
  env: Record<string, string>;
  /** A path on the client port ("/v1/status") or a URL template, polled until it answers 2xx. */
  health: string;
  features: Feature[];
  readModes: string[];
  stopSignal: NodeJS.Signals;
  startTimeoutMs: number;
  /** What the user calls it and its version, for test.json. */
  name: string | null;
  version: string | null;
}

const READ_MODES = ["linearizable", "log", "local", "serializable"];
const SIGNALS = ["SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGKILL", "SIGUSR1", "SIGUSR2"];
const FIELDS = ["command", "cwd", "env", "health", "features", "readModes", "stopSignal", "startTimeoutMs", "name", "version"];

export const DEFAULT_HEALTH = "/v1/status";

/** The system as flags alone give it: every feature of the API, linearizable reads. */
export function systemOf(command: string, cwd: string): CommandSystem {
  return {
    words: parseTemplate(command),
    cwd,
    env: {},
    health: DEFAULT_HEALTH,
    features: [...FEATURES],
    readModes: ["linearizable"],
    stopSignal: "SIGTERM",
    startTimeoutMs: 30_000,
    name: null,
    version: null,
  };
}

/** Reads and checks the file; `command` (from --node-cmd) replaces the file's when given. */
export function readSystemFile(path: string, command: string | undefined): CommandSystem {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`--cluster-file ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`--cluster-file ${path}: not valid JSON (${(err as Error).message})`);
  }
  const bad = (field: string, want: string) => new Error(`--cluster-file ${path}: field "${field}" must be ${want}`);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error(`--cluster-file ${path}: must be a JSON object`);
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o))
    if (!FIELDS.includes(key)) throw new Error(`--cluster-file ${path}: unknown field "${key}"; known: ${FIELDS.join(", ")}`);

  const given = command ?? o.command;
  const isWords = Array.isArray(given) && given.length > 0 && given.every((w) => typeof w === "string");
  if (typeof given !== "string" && !isWords)
    throw bad("command", "a command line (string) or its words (array of strings), or --node-cmd given");
  const system = systemOf(typeof given === "string" ? given : "x", resolve(dirname(path), typeof o.cwd === "string" ? o.cwd : "."));
  try {
    system.words = parseTemplate(given as string | string[]);
  } catch (err) {
    throw new Error(`--cluster-file ${path}: field "command": ${(err as Error).message}`);
  }
  if (o.cwd !== undefined && typeof o.cwd !== "string") throw bad("cwd", "a folder (relative to the file)");
  if (o.env !== undefined) {
    if (typeof o.env !== "object" || o.env === null || Array.isArray(o.env) || Object.values(o.env).some((v) => typeof v !== "string")) {
      throw bad("env", "an object of string values");
    }
    system.env = o.env as Record<string, string>;
  }
  if (o.health !== undefined) {
    if (typeof o.health !== "string" || !(o.health.startsWith("/") || /^https?:\/\//.test(o.health)))
      throw bad("health", 'a path ("/healthz") or a URL template ("http://{host}:{http_port}/healthz")');
    try {
      parseTemplate([o.health]);
    } catch (err) {
      throw new Error(`--cluster-file ${path}: field "health": ${(err as Error).message}`);
    }
    system.health = o.health;
  }
  if (o.features !== undefined) {
    const list = o.features;
    if (!Array.isArray(list) || list.some((f) => !(FEATURES as readonly unknown[]).includes(f)))
      throw bad("features", `a list of ${FEATURES.join(", ")}`);
    system.features = [...new Set(list as Feature[])];
  }
  if (o.readModes !== undefined) {
    const list = o.readModes;
    if (!Array.isArray(list) || list.length === 0 || list.some((m) => !READ_MODES.includes(m as string)))
      throw bad("readModes", `a non-empty list of ${READ_MODES.join(", ")} (the first is the default)`);
    system.readModes = list as string[];
  }
  if (o.stopSignal !== undefined) {
    if (!SIGNALS.includes(o.stopSignal as string)) throw bad("stopSignal", `one of ${SIGNALS.join(", ")}`);
    system.stopSignal = o.stopSignal as NodeJS.Signals;
  }
  if (o.startTimeoutMs !== undefined) {
    const ms = o.startTimeoutMs;
    if (typeof ms !== "number" || !Number.isInteger(ms) || ms < 100 || ms > 600_000)
      throw bad("startTimeoutMs", "an integer from 100 to 600000");
    system.startTimeoutMs = ms;
  }
  for (const field of ["name", "version"] as const) {
    if (o[field] !== undefined && typeof o[field] !== "string") throw bad(field, "a string");
    system[field] = (o[field] as string | undefined) ?? null;
  }
  return system;
}
