/**
 * Where each node of a process-managed cluster listens, where its data and
 * log go, and the addresses it dials for its peers: the facts a node command
 * is built from (the command kind's placeholders, an adapter's command()).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Wiring } from "../kind.js";
import { freePorts } from "./ports.js";

export interface PeerAddress {
  id: string;
  /** host:port this node dials for the peer's traffic: the peer itself, a proxy link, or its namespace address. */
  addr: string;
  /** The peer's client API base URL (for forwarding client requests). */
  httpUrl: string;
}

export interface NodePlan {
  id: string;
  /** The address to bind: 127.0.0.1, or the node's namespace address. */
  host: string;
  httpPort: number;
  peerPort: number;
  /** http://host:httpPort */
  httpUrl: string;
  /** host:peerPort, where the node listens for its peers. */
  peerAddr: string;
  /** Its own folder, kept across restarts: DIR/data/<id>. */
  dataDir: string;
  /** DIR/nodes/<id>.log */
  logFile: string;
  /** The other nodes, as this node must dial them. */
  peers: PeerAddress[];
}

/** Ports inside a namespace host, where each node has its own address. */
const NETNS_HTTP_PORT = 8001;
const NETNS_PEER_PORT = 8002;

export async function planNodes(dir: string, ids: readonly string[], wiring: Wiring): Promise<NodePlan[]> {
  const net = wiring.backend === "netns" ? wiring.hosts : null;
  const ports = net ? [] : await freePorts(2 * ids.length);
  const placed = ids.map((id, i) => {
    const host = net ? net.address(id) : "127.0.0.1";
    const httpPort = net ? NETNS_HTTP_PORT : ports[2 * i]!;
    const peerPort = net ? NETNS_PEER_PORT : ports[2 * i + 1]!;
    return { id, host, httpPort, peerPort, httpUrl: `http://${host}:${httpPort}`, peerAddr: `${host}:${peerPort}` };
  });
  return placed.map((p) => {
    const dial = wiring.backend === "proxy" ? wiring.dial(p.id) : {};
    const dataDir = join(dir, "data", p.id);
    mkdirSync(dataDir, { recursive: true });
    return {
      ...p,
      dataDir,
      logFile: join(dir, "nodes", `${p.id}.log`),
      peers: placed.filter((o) => o.id !== p.id).map((o) => ({ id: o.id, addr: dial[o.id] ?? o.peerAddr, httpUrl: o.httpUrl })),
    };
  });
}
