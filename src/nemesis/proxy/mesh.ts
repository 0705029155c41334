/**
 * The controller's fault-injecting TCP proxy mesh: a network backend that needs
 * no privileges. Every directed link A→B between our nodes is a listener on
 * loopback; node A is configured to dial it instead of B. Cutting a link
 * blackholes it; delaying it holds each chunk back. Works for any cluster
 * whose nodes accept per-peer dial addresses (ours does).
 */
import { allLinks, type Link, type Network } from "../network.js";
import { type LinkState, PASS, ProxyLink } from "./link.js";

export class ProxyMesh implements Network {
  readonly kind = "proxy" as const;
  private readonly links = new Map<string, ProxyLink>();
  private closed = false;

  private constructor(private readonly nodes: readonly string[]) {}

  /**
   * Opens a listener per directed link. `target(node)` gives a node's real peer
   * address when a connection arrives, so the mesh can be made before the
   * cluster knows its ports.
   */
  static async open(nodes: readonly string[], target: (node: string) => string | null): Promise<ProxyMesh> {
    const mesh = new ProxyMesh(nodes);
    for (const [from, to] of allLinks(nodes)) mesh.links.set(key(from, to), new ProxyLink(from, to, () => target(to)));
    try {
      for (const link of mesh.links.values()) await link.listen();
    } catch (err) {
      await mesh.close();
      throw err;
    }
    return mesh;
  }

  /** For node `from`: the address to dial for each peer. */
  dialAddrs(from: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const to of this.nodes) if (to !== from) out[to] = `127.0.0.1:${this.link(from, to).port}`;
    return out;
  }

  async cut(cuts: readonly Link[]): Promise<void> {
    const lost = new Set(cuts.map(([a, b]) => key(a, b)));
    for (const link of this.links.values()) {
      link.set({
        forwardDrop: lost.has(key(link.from, link.to)),
        // The reply path of A→B carries B's bytes to A.
        backwardDrop: lost.has(key(link.to, link.from)),
        delayMs: 0,
      });
    }
  }

  async delay(links: readonly Link[], delayMs: number): Promise<void> {
    const slow = new Set(links.map(([a, b]) => key(a, b)));
    for (const link of this.links.values()) {
      const state: LinkState = slow.has(key(link.from, link.to)) ? { ...PASS, delayMs } : PASS;
      link.set(state);
    }
  }

  async heal(): Promise<void> {
    for (const link of this.links.values()) link.set(PASS);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.links.values()].map((l) => l.close()));
  }

  private link(from: string, to: string): ProxyLink {
    const link = this.links.get(key(from, to));
    if (!link) throw new Error(`no proxy link ${from}→${to}`);
    return link;
  }
}

function key(from: string, to: string): string {
  return `${from}→${to}`;
}
