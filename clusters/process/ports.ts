import { readFileSync } from "node:fs";
import net from "node:net";

/**
 * Ports for nodes to listen on, free on `host` right now. They come from below
 * the kernel's ephemeral range: a node keeps its ports across a restart, and a
 * port in the ephemeral range, freed by a kill, can be taken meanwhile as the
 * local end of any outgoing connection on the machine (EADDRINUSE on restart).
 * Another process may still bind one first; the node's log then names the port.
 */
export async function freePorts(count: number, host = "127.0.0.1"): Promise<number[]> {
  const [ephemeralLow] = ephemeralRange();
  const low = Math.max(PORT_MIN, ephemeralLow - PORT_SPAN);
  const ports: number[] = [];
  const held: net.Server[] = [];
  try {
    // Each try either finds a port or moves on; bounded so a full range cannot spin.
    for (let attempt = 0; attempt < count * ATTEMPTS_PER_PORT && ports.length < count; attempt++) {
      const port = low + Math.floor(Math.random() * (ephemeralLow - low));
      if (ports.includes(port)) continue;
      const server = await listen(host, port);
      if (!server) continue;
      held.push(server);
      ports.push(port);
    }
    // Held open together so they are distinct; the kernel's own choice if the range was crowded.
    while (ports.length < count) {
      const server = (await listen(host, 0))!;
      held.push(server);
      ports.push((server.address() as net.AddressInfo).port);
    }
  } finally {
    await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
  }
  return ports;
}

const PORT_MIN = 10_000;
const PORT_SPAN = 20_000;
const ATTEMPTS_PER_PORT = 20;

function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high) && low! > PORT_MIN) return [low!, high!];
  } catch {
    // Not Linux: the usual default.
  }
  return [32_768, 60_999];
}

/** A listening server on host:port, or null when the port is taken (port 0: the kernel picks). */
function listen(host: string, port: number): Promise<net.Server | null> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (err: NodeJS.ErrnoException) => (port !== 0 && err.code === "EADDRINUSE" ? resolve(null) : reject(err)));
    server.listen(port, host, () => resolve(server));
  });
}

export async function freePort(host = "127.0.0.1"): Promise<number> {
  const [port] = await freePorts(1, host);
  return port!;
}

/** True when something accepts TCP connections at host:port within timeoutMs. */
export function accepts(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}
