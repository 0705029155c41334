import { createServer, connect, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ProxyMesh } from "./mesh.js";

/** A node's peer port stand-in: records what arrives from whom, and answers "ack". */
async function sink(): Promise<{ server: Server; addr: string; got: string[] }> {
  const got: string[] = [];
  const server = createServer((s) => s.on("data", (d) => (got.push(d.toString()), s.write("ack"))));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, addr: `127.0.0.1:${(server.address() as { port: number }).port}`, got };
}

/** Sends `text` through a dial address; resolves with what came back within `waitMs`. */
async function send(addr: string, text: string, waitMs = 150): Promise<string> {
  const [host, port] = [addr.split(":")[0], Number(addr.split(":")[1])];
  const socket: Socket = connect({ host, port });
  let back = "";
  socket.on("data", (d) => (back += d.toString()));
  socket.on("error", () => {});
  socket.write(text);
  await new Promise((r) => setTimeout(r, waitMs));
  socket.destroy();
  return back;
}

describe("proxy mesh", () => {
  let mesh: ProxyMesh | null = null;
  const servers: Server[] = [];
  afterEach(async () => {
    await mesh?.close();
    for (const s of servers.splice(0)) s.close();
  });

  async function setup() {
    const nodes = { a: await sink(), b: await sink(), c: await sink() };
    servers.push(...Object.values(nodes).map((n) => n.server));
    mesh = await ProxyMesh.open(["a", "b", "c"], (id) => nodes[id as "a" | "b" | "c"].addr);
    return nodes;
  }

  it("forwards every directed link, and gives each node its own dial addresses", async () => {
    const nodes = await setup();
    const fromA = mesh!.dialAddrs("a");
    expect(Object.keys(fromA).sort()).toEqual(["b", "c"]);
    expect(mesh!.dialAddrs("b").c).not.toEqual(fromA.c);
    expect(await send(fromA.b!, "hello")).toBe("ack");
    expect(nodes.b.got).toEqual(["hello"]);
  });

  it("a one-way cut loses A's messages to B only; heal restores", async () => {
    const nodes = await setup();
    await mesh!.cut([["a", "b"]]);
    expect(await send(mesh!.dialAddrs("a").b!, "lost")).toBe("");
    expect(nodes.b.got).toEqual([]);
    // B still reaches A; A's replies on that connection are A's bytes to B: lost too.
    expect(await send(mesh!.dialAddrs("b").a!, "fine")).toBe("");
    expect(nodes.a.got).toEqual(["fine"]);
    expect(await send(mesh!.dialAddrs("a").c!, "other")).toBe("ack");
    await mesh!.heal();
    expect(await send(mesh!.dialAddrs("a").b!, "back")).toBe("ack");
    expect(nodes.b.got).toEqual(["back"]);
  });

  it("delay holds messages back by about the delay", async () => {
    const nodes = await setup();
    await mesh!.delay([["a", "b"]], 300);
    const reply = send(mesh!.dialAddrs("a").b!, "slow", 900);
    await new Promise((r) => setTimeout(r, 150));
    expect(nodes.b.got).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect(nodes.b.got).toEqual(["slow"]);
    // The reply comes back on the same delayed link.
    expect(await reply).toBe("ack");
  });

  it("closes every listener", async () => {
    await setup();
    const addr = mesh!.dialAddrs("a").b!;
    await mesh!.close();
    mesh = null;
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect({ host: "127.0.0.1", port: Number(addr.split(":")[1]) });
      s.on("error", () => resolve(true));
      s.on("connect", () => (s.destroy(), resolve(false)));
    });
    expect(refused).toBe(true);
  });
});
