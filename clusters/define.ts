/**
 * defineCluster(): a cluster kind for a system with its own protocol (gRPC, a
 * binary protocol, a client library), written as a module outside tob:
 *
 *   // my-adapter.mjs
 *   import { defineCluster } from "tob";
 *   export default defineCluster({
 *     name: "mykv",
 *     features: ["get", "put", "cas"],
 *     node: (n) => ["./mykv", "--listen", `${n.host}:${n.httpPort}`, "--peer-port", String(n.peerPort),
 *                   "--join", n.peers.map((p) => `${p.id}@${p.addr}`).join(","), "--data", n.dataDir],
 *     client: (n, { timeoutMs }) => {
 *       const conn = connect(n.host, n.httpPort);
 *       return {
 *         get: async (key) => ({ type: "ok", value: await conn.read(key) }),
 *         put: async (key, value) => { await conn.write(key, value); return { type: "ok", value: {} }; },
 *         cas: ...,
 *         close: () => conn.end(),
 *       };
 *     },
 *   });
 *
 *   tob run --cluster ./my-adapter.mjs --workload register --nemesis kill,partition
 *
 * The module says how to start one node and maps tob's client calls onto the
 * system's; tob does the rest: places the nodes, wires their peer traffic
 * through its proxy mesh (the addresses in `peers`) or network namespaces,
 * spawns and stops them, kills, pauses and restarts them by pid, drives the
 * workload and checks the history. A client call that throws is recorded as
 * unknown (info), like a timeout.
 */
import type { ClusterClient, NodeStatus, Outcome } from "./cluster.js";
import { type ClusterKind, FEATURES, type Feature, NETWORK_BACKENDS, type NetworkBackend } from "./kind.js";
import { ManagedCluster } from "./process/managed-cluster.js";
import type { Command } from "./process/node-process.js";
import type { NodePlan } from "./process/plan.js";
import { accepts } from "./process/ports.js";

/** One node as the module sees it: where it listens, its data folder, and how it reaches its peers. */
export type ClusterNode = NodePlan;

/** The calls a module's client may implement: the kind's `features`, each returning an Outcome. */
export type ClientMapping = Partial<Omit<ClusterClient, "node" | "close">> & { close?(): void | Promise<void> };

export interface ClusterDefinition {
  /** Shown in test.json, reports and errors. */
  name: string;
  about?: string;
  /** The client calls `client()` implements; a workload needing another is refused before the run. */
  features: readonly Feature[];
  /** How reads may go (passed to client() as `reads`); the first is the default. Default ["linearizable"]. */
  readModes?: readonly string[];
  /** Network backends whose faults reach the nodes' peer traffic. Default both: the nodes dial `peers[].addr`. */
  networks?: readonly NetworkBackend[];
  /** The system's version, for test.json. */
  version?: () => string | Promise<string>;
  /** How to start one node: its command line as words, or {file, args, env, cwd}. */
  node(node: ClusterNode): readonly string[] | Command;
  /** True once the node serves. Default: the status feature answers ok, or else its client port accepts connections. */
  ready?(node: ClusterNode): boolean | Promise<boolean>;
  /** The client mapping for one node. */
  client(node: ClusterNode, options: { reads: string; timeoutMs: number }): ClientMapping;
  /** Signal that asks a node to stop at the end (default SIGTERM, then SIGKILL after a grace period). */
  stopSignal?: NodeJS.Signals;
  /** Bound on the wait for every node to be ready (default 30000). */
  startTimeoutMs?: number;
}

const READY_TIMEOUT_MS = 1_000;

export function defineCluster(def: ClusterDefinition): ClusterKind {
  checkDefinition(def);
  const readModes = def.readModes ?? ["linearizable"];
  return {
    name: def.name,
    about: def.about ?? `${def.name} (a cluster module)`,
    features: [...def.features],
    readModes: [...readModes],
    networks: [...(def.networks ?? NETWORK_BACKENDS)],
    bugs: [],
    version: async () => (def.version ? { [def.name]: String(await def.version()) } : {}),
    create: (o) =>
      new ManagedCluster(
        {
          kind: def.name,
          command: (node) => commandOf(def, node),
          probe: async (node) => {
            try {
              const ready = await (def.ready ? def.ready(node) : defaultReady(def, node, o.requestTimeoutMs, o.reads));
              return ready ? { ready: true } : { ready: false, why: "not ready yet", fatal: false };
            } catch (err) {
              return { ready: false, why: `its ready() threw: ${(err as Error)?.message ?? String(err)}`, fatal: false };
            }
          },
          client: (node) => wrapClient(def, node, def.client(node, { reads: o.reads, timeoutMs: o.requestTimeoutMs })),
          stopSignal: def.stopSignal,
          startTimeoutMs: def.startTimeoutMs,
        },
        o,
      ),
  };
}

function checkDefinition(def: ClusterDefinition): void {
  const bad = (what: string) => new TypeError(`defineCluster(${typeof def?.name === "string" ? JSON.stringify(def.name) : ""}): ${what}`);
  if (typeof def !== "object" || def === null) throw bad("expects a definition object");
  if (typeof def.name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(def.name))
    throw bad("name must be a word (letters, digits, . _ -)");
  if (!Array.isArray(def.features) || def.features.some((f) => !(FEATURES as readonly string[]).includes(f)))
    throw bad(`features must be a list of ${FEATURES.join(", ")}`);
  if (def.readModes !== undefined && (!Array.isArray(def.readModes) || def.readModes.length === 0))
    throw bad("readModes must be a non-empty list");
  if (
    def.networks !== undefined &&
    (!Array.isArray(def.networks) || def.networks.some((n) => !(NETWORK_BACKENDS as readonly string[]).includes(n)))
  ) {
    throw bad(`networks must be a list of ${NETWORK_BACKENDS.join(", ")}`);
  }
  for (const fn of ["node", "client"] as const) if (typeof def[fn] !== "function") throw bad(`${fn} must be a function`);
}

function commandOf(def: ClusterDefinition, node: ClusterNode): Command {
  const c = def.node(node);
  if (Array.isArray(c)) {
    if (c.length === 0 || c.some((w) => typeof w !== "string"))
      throw new Error(`node() must return a non-empty list of strings, got ${JSON.stringify(c)}`);
    const [file, ...args] = c as string[];
    return { file: file!, args };
  }
  const cmd = c as Command;
  if (typeof cmd?.file !== "string" || !Array.isArray(cmd.args))
    throw new Error(`node() must return words or {file, args}, got ${JSON.stringify(c)}`);
  return cmd;
}

async function defaultReady(def: ClusterDefinition, node: ClusterNode, timeoutMs: number, reads: string): Promise<boolean> {
  if (!def.features.includes("status")) return accepts(node.host, node.httpPort, READY_TIMEOUT_MS);
  const client = wrapClient(def, node, def.client(node, { reads, timeoutMs: Math.min(timeoutMs, READY_TIMEOUT_MS) }));
  try {
    return (await client.status!()).type === "ok";
  } finally {
    await client.close();
  }
}

/**
 * The module's client as a ClusterClient: only its declared features, each
 * call's result checked, a throw recorded as unknown (it may have been sent).
 */
function wrapClient(def: ClusterDefinition, node: ClusterNode, mapping: ClientMapping): ClusterClient {
  if (typeof mapping !== "object" || mapping === null) throw new Error(`${def.name}: client() must return an object of client calls`);
  const call =
    (feature: Feature) =>
    async (...args: unknown[]): Promise<Outcome<unknown>> => {
      const fn = mapping[feature] as ((...a: unknown[]) => Promise<Outcome<unknown>>) | undefined;
      if (typeof fn !== "function") throw new Error(`${def.name}: client() has no ${feature}(), though features lists it`);
      let out: Outcome<unknown>;
      try {
        out = await fn.apply(mapping, args);
      } catch (err) {
        return { type: "info", error: `${feature}() threw: ${(err as Error)?.message ?? String(err)}` };
      }
      if (typeof out !== "object" || out === null || !["ok", "fail", "info"].includes(out.type)) {
        return { type: "info", error: `${feature}() returned ${JSON.stringify(out)}, not {type: "ok"|"fail"|"info", ...}` };
      }
      return out;
    };
  const client: Record<string, unknown> = {
    node: node.id,
    close: async () => {
      await mapping.close?.();
    },
  };
  for (const feature of def.features) client[feature] = call(feature);
  // get, put and cas are part of every ClusterClient's shape; one a kind lacks is never called (the run is refused).
  for (const feature of ["get", "put", "cas"] as const) {
    client[feature] ??= () => Promise.reject(new Error(`${def.name} does not offer ${feature}`));
  }
  return client as unknown as ClusterClient;
}

export type { ClusterClient, NodeStatus, Outcome };
