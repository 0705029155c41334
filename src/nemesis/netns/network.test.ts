import { execa, type ResultPromise } from "execa";
import { afterAll, beforeAll, expect, it } from "vitest";
import { firstLine } from "../../../test/support/child.js";
import { describeWith, netnsPart } from "../../../test/support/real.js";
import { netemAvailable } from "./available.js";
import { NetnsNetwork } from "./network.js";

const netns = await netnsPart();
const netem = await netemAvailable();
const PORT = 7700;
const CONNECT_TIMEOUT_S = "1";

/** True when `from` can open a TCP connection to `to`'s listener within a second. */
async function canConnect(net: NetnsNetwork, from: string, to: string): Promise<boolean> {
  const script = `exec 3<>/dev/tcp/${net.address(to)}/${PORT}`;
  const { file, args } = net.command(from, "timeout", [CONNECT_TIMEOUT_S, "bash", "-c", script]);
  const result = await execa(file, args, { reject: false });
  return result.exitCode === 0;
}

async function names(): Promise<string> {
  const [namespaces, links, tables] = await Promise.all([
    execa("ip", ["netns", "list"]),
    execa("ip", ["-o", "link", "show"]),
    execa("nft", ["list", "tables"]),
  ]);
  return [namespaces.stdout, links.stdout, tables.stdout].join("\n");
}

describeWith([netns], "NetnsNetwork", () => {
  const hosts = ["a", "b", "c"];
  const net = new NetnsNetwork({ hosts, prefix: "tobt" });
  const listeners: ResultPromise[] = [];
  const received = new Map<string, string[]>();

  /** Sends one UDP datagram from `from` to `to` and reports whether `to` printed it. */
  async function udpArrives(from: string, to: string, tag: string): Promise<boolean> {
    const { file, args } = net.command(from, "bash", ["-c", `echo ${tag} > /dev/udp/${net.address(to)}/${PORT}`]);
    await execa(file, args, { timeout: 10_000 });
    for (let waitedMs = 0; waitedMs < 500; waitedMs += 50) {
      if (received.get(to)!.includes(tag)) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  beforeAll(async () => {
    await net.setup();
    // One tiny TCP server per host, spawned through the network's own exec prefix.
    for (const host of hosts) {
      // TCP for reachability; UDP (printed as it arrives) to see one direction alone.
      const address = net.address(host);
      const server = [
        `const udp = require("dgram").createSocket("udp4");`,
        `udp.on("message", (m) => console.log("udp:" + m));`,
        `udp.bind(${PORT}, "${address}", () => require("net").createServer((s) => s.end()).listen(${PORT}, "${address}", () => console.log("up")));`,
      ].join("\n");
      const { file, args } = net.command(host, process.execPath, ["-e", server]);
      const child = execa(file, args, { reject: false });
      listeners.push(child);
      received.set(host, []);
      child.stdout.on("data", (chunk: Buffer) => {
        for (const line of String(chunk).split("\n")) if (line.startsWith("udp:")) received.get(host)!.push(line.slice(4));
      });
      await firstLine(child, (line) => (line === "up" ? true : undefined));
    }
  });

  afterAll(async () => {
    for (const child of listeners) child.kill("SIGKILL");
    await Promise.all(listeners);
    await net.teardown();
  });

  it("gives each host its own address, reachable from the others and from the controller", async () => {
    expect(new Set(hosts.map((h) => net.address(h))).size).toBe(3);
    expect(await canConnect(net, "a", "b")).toBe(true);
    expect(await canConnect(net, "c", "a")).toBe(true);
    const fromController = await execa("timeout", [CONNECT_TIMEOUT_S, "bash", "-c", `exec 3<>/dev/tcp/${net.address("b")}/${PORT}`], {
      reject: false,
    });
    expect(fromController.exitCode).toBe(0);
  });

  it("a partition blocks across groups, not within, and never the controller; heal restores", async () => {
    await net.partition([["a"], ["b", "c"]]);
    expect(await canConnect(net, "a", "b")).toBe(false);
    expect(await canConnect(net, "b", "a")).toBe(false);
    expect(await canConnect(net, "b", "c")).toBe(true);
    const fromController = await execa("timeout", [CONNECT_TIMEOUT_S, "bash", "-c", `exec 3<>/dev/tcp/${net.address("a")}/${PORT}`], {
      reject: false,
    });
    expect(fromController.exitCode).toBe(0);
    await net.heal();
    expect(await canConnect(net, "a", "b")).toBe(true);
  });

  it("a one-way cut drops only its direction's packets", async () => {
    await net.cut("a", "b");
    expect(await udpArrives("a", "b", "a-to-b")).toBe(false);
    expect(await udpArrives("b", "a", "b-to-a")).toBe(true);
    expect(await udpArrives("a", "c", "a-to-c")).toBe(true);
    await net.heal();
    expect(await udpArrives("a", "b", "a-to-b-healed")).toBe(true);
  });

  // Which branch runs is decided by an independent probe, so neither can pass in place of the other.
  const title = netem.ok
    ? "delay slows each host's traffic (tc netem)"
    : "delay is refused as unsupported, naming sch_netem (this kernel has no netem)";
  it(title, async () => {
    if (!netem.ok) {
      await expect(net.delay(200)).rejects.toThrow("this kernel has no tc netem (module sch_netem)");
      await net.heal();
      return;
    }
    await net.delay(200);
    const began = performance.now();
    expect(await canConnect(net, "a", "b")).toBe(true);
    expect(performance.now() - began).toBeGreaterThan(200);
    await net.heal();
  });

  it("teardown leaves no namespace, veth, bridge or table behind, and is idempotent", async () => {
    const other = new NetnsNetwork({ hosts: ["x", "y"], prefix: "tobt" });
    await other.setup();
    const namespace = other.namespace("x");
    await other.partition([["x"], ["y"]]);
    expect(await names()).toContain(namespace);
    await other.teardown();
    await other.teardown();
    const after = await names();
    expect(after).not.toContain(namespace);
    expect(after).not.toContain(namespace.split("-")[0]);
    expect(after).not.toContain("tob_nemesis");
  });
});
