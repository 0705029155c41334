/**
 * The Network seam over the network-namespace backend (./netns/, root only):
 * each node is a host with its own address, and faults are nftables drops and
 * netem delay inside the namespaces, so it works for any system, etcd too.
 */
import type { Link, Network } from "./network.js";
import type { NetnsNetwork } from "./netns/network.js";

export class NetnsBackend implements Network {
  readonly kind = "netns" as const;

  constructor(readonly net: NetnsNetwork) {}

  async cut(links: readonly Link[]): Promise<void> {
    await this.net.heal();
    for (const [from, to] of links) await this.net.cut(from, to);
  }

  /** netem delays all a host sends: the listed links' senders are slowed on every link. */
  async delay(links: readonly Link[], delayMs: number): Promise<void> {
    await this.net.heal();
    if (links.length > 0) await this.net.delay(Math.round(delayMs));
  }

  heal(): Promise<void> {
    return this.net.heal();
  }

  close(): Promise<void> {
    return this.net.teardown();
  }
}
