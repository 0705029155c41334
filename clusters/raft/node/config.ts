import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { BUGS, type Bug } from "./bugs.js";
import { splitHostPort } from "./transport.js";
import { SEGMENT_BYTES_DEFAULT } from "./wal.js";

/**
 * A node's configuration: a JSON file named by `--config`, plus `--bug NAME`
 * flags (repeatable) that switch on deliberate bugs for testing the checkers.
 */

export { BUGS, type Bug };

export interface PeerAddrs {
  /** host:port this node dials for peer traffic to that peer. */
  dial: string;
  /** Base URL of that peer's client API, where followers forward requests. */
  http: string;
}

export interface NodeConfig {
  id: string;
  dataDir: string;
  httpHost: string;
  httpPort: number;
  /** host:port this node listens on for peer traffic. */
  peerListen: string;
  /**
   * Where to reach other nodes. Without `join`, these and this node are the
   * initial voters; afterwards the configuration in the log decides who votes,
   * and members added at run time bring their addresses with them (an address
   * here wins: a proxy may sit between the nodes).
   */
  peers: Record<string, PeerAddrs>;
  /**
   * A new, empty member of a running cluster: no initial configuration; it
   * learns the cluster's from the leader that adds it (POST /v1/members).
   */
  join: boolean;
  tickMs: number;
  electionTicks: number;
  heartbeatTicks: number;
  seed: number;
  /** Pipelining: AppendEntries in flight per follower before waiting for acks. */
  maxInflightMsgs: number;
  /** Batching: entries per AppendEntries at most. */
  maxEntriesPerMsg: number;
  /** Entries applied between two snapshots of the state machine (each followed by log compaction). */
  snapshotEntries: number;
  /** Entries the log keeps behind a snapshot, so a follower a little behind catches up by appends. */
  snapshotKeepEntries: number;
  /** A write-ahead log segment is closed past this size (bytes). */
  walSegmentBytes: number;
  bugs: Bug[];
  /**
   * A planted slowdown for testing the regression gate: the node spins this many
   * microseconds of CPU on every proposal. 0 (the default) in every real run.
   */
  slowProposeUs?: number;
}

/** Defaults aim at failover well under 300 ms: an election after 100-200 ms without a leader. */
export const CONFIG_DEFAULTS = {
  httpHost: "127.0.0.1",
  tickMs: 10,
  electionTicks: 10,
  heartbeatTicks: 2,
  seed: 1,
  maxInflightMsgs: 256,
  maxEntriesPerMsg: 512,
  snapshotEntries: 10_000,
  snapshotKeepEntries: 5_000,
  walSegmentBytes: SEGMENT_BYTES_DEFAULT,
  join: false,
};

/** A node id that can join at run time: it goes into paths, URLs and logs as is. */
export const MEMBER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const MEMBER_ID_RULE = "1-64 letters, digits, '_', '.' or '-', starting with a letter or digit";

export class ConfigError extends Error {}

export interface NodeArgs {
  config: NodeConfig;
  /** Exit when stdin closes: a node spawned by a controller dies with it, never orphaned. */
  exitWithParent: boolean;
}

export function parseNodeArgs(argv: string[]): NodeArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: "string" },
        bug: { type: "string", multiple: true },
        "exit-with-parent": { type: "boolean" },
        "max-inflight": { type: "string" },
        "max-batch": { type: "string" },
        "slow-propose-us": { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  if (!values.config) {
    throw new ConfigError(
      `usage: main.js --config FILE [--exit-with-parent] [--max-inflight N] [--max-batch N] [--slow-propose-us N] [--bug ${BUGS.join("|")}]...`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(values.config, "utf8"));
  } catch (err) {
    throw new ConfigError(`cannot read config ${values.config}: ${(err as Error).message}`);
  }
  const cfg = validateConfig(raw, values.config);
  // The throughput knobs also come as flags, so a benchmark can sweep them without rewriting configs.
  if (values["max-inflight"] !== undefined) cfg.maxInflightMsgs = flagInt("--max-inflight", values["max-inflight"]);
  if (values["max-batch"] !== undefined) cfg.maxEntriesPerMsg = flagInt("--max-batch", values["max-batch"]);
  if (values["slow-propose-us"] !== undefined) cfg.slowProposeUs = flagInt("--slow-propose-us", values["slow-propose-us"]);
  for (const bug of values.bug ?? []) {
    if (!(BUGS as readonly string[]).includes(bug)) throw new ConfigError(`unknown bug ${JSON.stringify(bug)}; known: ${BUGS.join(", ")}`);
    if (!cfg.bugs.includes(bug as Bug)) cfg.bugs.push(bug as Bug);
  }
  return { config: cfg, exitWithParent: values["exit-with-parent"] ?? false };
}

function flagInt(flag: string, text: string): number {
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v < 1 || v > 1_000_000)
    throw new ConfigError(`${flag} must be an integer from 1 to 1000000, got ${JSON.stringify(text)}`);
  return v;
}

export function validateConfig(raw: unknown, source: string): NodeConfig {
  if (typeof raw !== "object" || raw === null) throw new ConfigError(`${source}: not a JSON object`);
  const o = { ...CONFIG_DEFAULTS, bugs: [], ...(raw as Record<string, unknown>) } as Record<string, unknown>;
  const fail = (field: string, want: string): never => {
    throw new ConfigError(`${source}: ${field} must be ${want}, got ${JSON.stringify(o[field])}`);
  };
  const str = (f: string) => (typeof o[f] === "string" && o[f] !== "" ? (o[f] as string) : fail(f, "a non-empty string"));
  const posInt = (f: string) => (Number.isSafeInteger(o[f]) && (o[f] as number) > 0 ? (o[f] as number) : fail(f, "a positive integer"));
  const port = (f: string) =>
    Number.isSafeInteger(o[f]) && (o[f] as number) >= 0 && (o[f] as number) < 65536 ? (o[f] as number) : fail(f, "a port number");
  const peersRaw = o.peers;
  if (typeof peersRaw !== "object" || peersRaw === null) fail("peers", "an object of id → {dial, http}");
  const peers: Record<string, PeerAddrs> = {};
  for (const [peer, addrs] of Object.entries(peersRaw as Record<string, unknown>)) {
    const a = addrs as Record<string, unknown> | null;
    if (typeof a?.dial !== "string" || typeof a?.http !== "string") fail("peers", "an object of id → {dial, http}");
    splitHostPort(a!.dial as string);
    peers[peer] = { dial: a!.dial as string, http: a!.http as string };
  }
  const cfg: NodeConfig = {
    id: str("id"),
    dataDir: str("dataDir"),
    httpHost: str("httpHost"),
    httpPort: port("httpPort"),
    peerListen: str("peerListen"),
    peers,
    tickMs: posInt("tickMs"),
    electionTicks: posInt("electionTicks"),
    heartbeatTicks: posInt("heartbeatTicks"),
    seed: Number.isSafeInteger(o.seed) ? (o.seed as number) : fail("seed", "an integer"),
    maxInflightMsgs: posInt("maxInflightMsgs"),
    maxEntriesPerMsg: posInt("maxEntriesPerMsg"),
    snapshotEntries: posInt("snapshotEntries"),
    walSegmentBytes: posInt("walSegmentBytes"),
    snapshotKeepEntries:
      Number.isSafeInteger(o.snapshotKeepEntries) && (o.snapshotKeepEntries as number) >= 0
        ? (o.snapshotKeepEntries as number)
        : fail("snapshotKeepEntries", "a non-negative integer"),
    bugs: Array.isArray(o.bugs) ? (o.bugs as Bug[]) : fail("bugs", "an array"),
    join: typeof o.join === "boolean" ? o.join : fail("join", "true or false"),
  };
  for (const bug of cfg.bugs) {
    if (!(BUGS as readonly string[]).includes(bug))
      throw new ConfigError(`${source}: unknown bug ${JSON.stringify(bug)}; known: ${BUGS.join(", ")}`);
  }
  if (cfg.peers[cfg.id]) throw new ConfigError(`${source}: peers must not include the node itself (${cfg.id})`);
  if (cfg.heartbeatTicks >= cfg.electionTicks) throw new ConfigError(`${source}: heartbeatTicks must be below electionTicks`);
  splitHostPort(cfg.peerListen);
  return cfg;
}
