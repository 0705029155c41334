import { join } from "node:path";
import type { Raft } from "../core/raft.js";
import type { Message, Ready } from "../core/types.js";
import type { NodeConfig } from "./config.js";
import { type FileIo, nodeFileIo } from "./file-io.js";
import type { Logger } from "./log.js";
import { splitHostPort, Transport } from "./transport.js";

/**
 * Everything a Replica does to the world outside its memory, behind one seam:
 * the node process passes the real file system, TCP transport and clock
 * (`nodeIo`); the simulator passes a disk that tears and corrupts, a lossy
 * network and a virtual clock, so it runs the same Replica, WAL and state machine.
 */

export interface Clock {
  nowMs(): number;
  /** Calls `fn` every `ms` until the returned function is called. */
  every(ms: number, fn: () => void): () => void;
  /** Calls `fn` on a later turn (the Ready loop's kick). */
  soon(fn: () => void): void;
}

export interface PeerNetwork {
  start(): Promise<void>;
  /** Never throws: a message that cannot go is dropped like a lost one (Raft retries). */
  send(m: Message): void;
  flush(): void;
  close(): void;
  /** A member added at run time, to dial at `addr` from now on; a network that routes by id (the simulator's) needs none. */
  addPeer?(peer: string, addr: string): void;
}

/** What the simulator watches inside a Replica; the node process watches nothing. */
export interface ReplicaProbe {
  /** A Ready was taken from the core and is about to be applied; `raft` still has the log before its entries. */
  ready?(rd: Ready, raft: Raft): void;
  /** The Ready's write starts (after the simulated disk's delay). */
  writing?(rd: Ready): void;
  /** The Ready's write is durable (it returned). */
  persisted?(rd: Ready): void;
}

export interface ReplicaIo {
  files: FileIo;
  /** Where the write-ahead log and the snapshots live under `files`. */
  walDir: string;
  snapDir: string;
  clock: Clock;
  /** Opens the peer network; what arrives goes to `onMessage`. */
  network(onMessage: (m: Message) => void): PeerNetwork;
  /** The Ready loop cannot go on (a write failed): the node process exits, the simulator crashes the node. */
  fatal(err: unknown): void;
  /** Awaited before each write; the simulator's slow disk. Absent for the node. */
  diskTurn?: () => Promise<void>;
  probe?: ReplicaProbe;
  /** Whether the WAL grows its segment with synced zeros ahead of the log (the node does; the simulator skips the cost). */
  preallocate: boolean;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  every(ms, fn) {
    const t = setInterval(fn, ms);
    return () => clearInterval(t);
  },
  soon: (fn) => void setImmediate(fn),
};

/** The node process's I/O: its data directory, TCP peers, the wall clock; a failed write ends the process. */
export function nodeIo(cfg: NodeConfig, log: Logger): ReplicaIo {
  return {
    files: nodeFileIo,
    walDir: join(cfg.dataDir, "wal"),
    snapDir: join(cfg.dataDir, "snap"),
    clock: systemClock,
    preallocate: true,
    network(onMessage) {
      const dial: Record<string, string> = {};
      for (const [peer, addrs] of Object.entries(cfg.peers)) dial[peer] = addrs.dial;
      const [listenHost, listenPort] = splitHostPort(cfg.peerListen);
      return new Transport({ id: cfg.id, listenHost, listenPort: Number(listenPort), dial, log, onMessage });
    },
    fatal(err) {
      log("error", `fatal: ${(err as Error).stack ?? String(err)}`);
      process.exit(1);
    },
  };
}
