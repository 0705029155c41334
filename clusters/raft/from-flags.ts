/**
 * Our Raft node started the way `--cluster command` starts any user's node:
 *
 *   node dist/clusters/raft/from-flags.js --id {id} --host {host} --http {http_port}
 *     --peer {peer_port} --peers {peers} --http-peers {http_peers} --data {data_dir} [--bug NAME]...
 *
 * It writes the node's config beside its data folder and runs the node program
 * (./node/main.ts) in this process, so the pid tob signals is the node's. The
 * command kind's test runs our own cluster through it.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CONFIG_DEFAULTS, type NodeConfig } from "./node/config.js";

function pairs(flag: string, text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of text.split(",").filter((s) => s !== "")) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new Error(`${flag}: expected id=address pairs, got ${JSON.stringify(item)}`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function configOf(argv: string[]): { config: NodeConfig; bugs: string[] } {
  const { values } = parseArgs({
    args: argv,
    options: {
      id: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      http: { type: "string" },
      peer: { type: "string" },
      peers: { type: "string", default: "" },
      "http-peers": { type: "string", default: "" },
      data: { type: "string" },
      bug: { type: "string", multiple: true, default: [] },
    },
    strict: true,
    allowPositionals: false,
  });
  for (const flag of ["id", "http", "peer", "data"] as const) if (!values[flag]) throw new Error(`--${flag} is required`);
  const dial = pairs("--peers", values.peers!);
  const http = pairs("--http-peers", values["http-peers"]!);
  const peers: NodeConfig["peers"] = {};
  for (const [id, addr] of Object.entries(dial)) {
    if (!http[id]) throw new Error(`--http-peers has no client URL for peer ${id}`);
    peers[id] = { dial: addr, http: http[id]! };
  }
  const ids = [values.id!, ...Object.keys(peers)].sort();
  const config: NodeConfig = {
    ...CONFIG_DEFAULTS,
    id: values.id!,
    dataDir: values.data!,
    httpHost: values.host!,
    httpPort: Number(values.http),
    peerListen: `${values.host}:${values.peer}`,
    peers,
    // Distinct seeds, so the nodes' election timeouts differ.
    seed: CONFIG_DEFAULTS.seed * 1000 + ids.indexOf(values.id!),
    bugs: [],
  };
  return { config, bugs: values.bug! };
}

let parsed: ReturnType<typeof configOf>;
try {
  parsed = configOf(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`tob raft node (from flags): ${(err as Error).message}\n`);
  process.exit(2);
}
const configFile = `${parsed.config.dataDir.replace(/\/+$/, "")}.config.json`;
writeFileSync(configFile, JSON.stringify(parsed.config, null, 2) + "\n");
process.argv = [process.argv[0]!, "main.js", "--config", configFile, ...parsed.bugs.flatMap((b) => ["--bug", b]), "--exit-with-parent"];
await import("./node/main.js");
