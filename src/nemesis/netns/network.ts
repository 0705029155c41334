import { NETEM_MISSING, netnsAvailable, type Availability } from "./available.js";
import { onProcessExit } from "../../../clusters/process/exit-hooks.js";
import { makePlan, parseSubnet, randomId, type HostPlan, type NetnsPlan } from "./plan.js";
import { nftScript, partitionBlocks } from "./rules.js";
import { run, runTolerant, runTolerantSync } from "./shell.js";
import { pickFreeSubnetBase, subnetUsedElsewhere } from "./subnet.js";

export interface NetnsNetworkOptions {
  /** One network namespace per host, in this order (addresses .2, .3, ...). */
  hosts: readonly string[];
  /** Start of every name this network creates (1-5 lowercase chars). Default "tob". */
  prefix?: string;
  /** e.g. "10.77.5.0/24". Default: a free 10.77.X.0/24 picked at setup. */
  subnet?: string;
}

const SUBNET_ATTEMPTS_MAX = 8;
const DELAY_MS_MAX = 60_000;

/**
 * A network of hosts built from Linux network namespaces (root only): each host
 * is a namespace with its own address on a veth, all veths meet on a bridge in
 * the root namespace, and the bridge holds the subnet's .1 so the controller
 * reaches every host directly. Faults are nftables drop rules inside each
 * receiving host's namespace, and optionally tc netem delay.
 *
 * Every object is named with a prefix plus a random id, so concurrent networks
 * never clash; teardown removes all of them, and also runs at process exit.
 */
export class NetnsNetwork {
  static available(): Promise<Availability> {
    return netnsAvailable();
  }

  private readonly hostNames: readonly string[];
  private readonly prefix: string;
  private readonly id = randomId();
  private plan: NetnsPlan | null = null;
  private unregisterExitHook: (() => void) | null = null;
  private partitionDrops = new Map<string, Set<string>>();
  /** One-way cuts as [from, to]: `to` drops what `from` sends. */
  private cuts: [string, string][] = [];
  private delayed = false;

  constructor(private readonly options: NetnsNetworkOptions) {
    this.hostNames = [...options.hosts];
    this.prefix = options.prefix ?? "tob";
    // Validate names now, so a bad option fails before anything is created.
    makePlan(this.prefix, this.id, "10.0.0", this.hostNames);
    if (options.subnet !== undefined) parseSubnet(options.subnet);
  }

  hosts(): string[] {
    return [...this.hostNames];
  }

  /** The host's address on the subnet, e.g. 10.77.5.2. */
  address(host: string): string {
    return this.host(host).address;
  }

  /** The root namespace's address on the subnet (where the controller's traffic comes from). */
  controllerAddress(): string {
    return this.requirePlan().bridgeAddress;
  }

  /** The namespace of a host, for tools that want to enter it themselves. */
  namespace(host: string): string {
    return this.host(host).namespace;
  }

  /** How to run `file args` inside the host's namespace (pass the result to execa). */
  command(host: string, file: string, args: readonly string[]): { file: string; args: string[] } {
    // `ip netns exec` execs in place (no fork), so the pid execa reports is the program's own.
    return { file: "ip", args: ["netns", "exec", this.host(host).namespace, file, ...args] };
  }

  async setup(): Promise<void> {
    if (this.plan) throw new Error("netns: setup() called twice; teardown() first");
    try {
      await this.createBridge();
      for (const host of this.requirePlan().hosts) await this.createHost(host);
    } catch (error) {
      await this.teardown();
      throw error;
    }
  }

  /** Nodes in different groups cannot talk; a host in no group is cut off from all. */
  async partition(groups: readonly (readonly string[])[]): Promise<void> {
    this.partitionDrops = partitionBlocks(this.hostNames, groups);
    await this.applyRules();
  }

  /** One-way: packets from `from` to `to` are dropped; the reverse direction still flows. */
  async cut(from: string, to: string): Promise<void> {
    this.host(from);
    this.host(to);
    if (from === to) throw new Error(`netns: cannot cut host "${from}" from itself`);
    this.cuts.push([from, to]);
    await this.applyRules();
  }

  /** Adds `ms` of delay to everything each host sends (tc netem). */
  async delay(ms: number): Promise<void> {
    if (!Number.isInteger(ms) || ms < 0 || ms > DELAY_MS_MAX) {
      throw new Error(`netns: delay must be an integer 0..${DELAY_MS_MAX} ms, got ${ms}`);
    }
    this.delayed = true;
    try {
      await Promise.all(
        this.requirePlan().hosts.map((host) =>
          run("ip", ["netns", "exec", host.namespace, "tc", "qdisc", "replace", "dev", "eth0", "root", "netem", "delay", `${ms}ms`]),
        ),
      );
    } catch (error) {
      const message = (error as Error).message;
      if (/qdisc kind is unknown/i.test(message)) {
        throw new Error(`netns: ${NETEM_MISSING}`);
      }
      throw error;
    }
  }

  /** Removes every partition, cut and delay. */
  async heal(): Promise<void> {
    this.partitionDrops = new Map();
    this.cuts = [];
    await this.applyRules();
    if (this.delayed) {
      await Promise.all(
        this.requirePlan().hosts.map((host) =>
          runTolerant("ip", ["netns", "exec", host.namespace, "tc", "qdisc", "del", "dev", "eth0", "root"]),
        ),
      );
      this.delayed = false;
    }
  }

  /** Removes every namespace, veth and bridge this network created (their nft tables go with the namespaces). Idempotent. */
  async teardown(): Promise<void> {
    const plan = this.plan;
    if (!plan) return;
    for (const [file, args] of teardownCommands(plan)) await runTolerant(file, args);
    const leftovers = await findLeftovers(plan.tag);
    if (leftovers.length > 0) throw new Error(`netns: teardown left ${leftovers.join(", ")}`);
    this.plan = null;
    this.unregisterExitHook?.();
    this.unregisterExitHook = null;
    this.partitionDrops = new Map();
    this.cuts = [];
    this.delayed = false;
  }

  private async createBridge(): Promise<void> {
    for (let attempt = 0; attempt < SUBNET_ATTEMPTS_MAX; attempt++) {
      const base = this.options.subnet !== undefined ? parseSubnet(this.options.subnet) : await pickFreeSubnetBase();
      const plan = makePlan(this.prefix, this.id, base, this.hostNames);
      this.adopt(plan);
      await run("ip", ["link", "add", plan.bridge, "type", "bridge"]);
      await run("ip", ["addr", "add", `${plan.bridgeAddress}/${plan.prefixLength}`, "dev", plan.bridge]);
      await run("ip", ["link", "set", plan.bridge, "up"]);
      // A concurrent network may have picked the same free subnet between our look and our claim.
      if (this.options.subnet !== undefined || !(await subnetUsedElsewhere(base, plan.bridge))) return;
      await this.teardown();
    }
    throw new Error(`netns: could not claim a free subnet in ${SUBNET_ATTEMPTS_MAX} attempts`);
  }

  /** Records the plan and arms the exit hook before the first object exists. */
  private adopt(plan: NetnsPlan): void {
    this.plan = plan;
    this.unregisterExitHook = onProcessExit(() => {
      for (const [file, args] of teardownCommands(plan)) runTolerantSync(file, args);
    });
  }

  private async createHost(host: HostPlan): Promise<void> {
    const plan = this.requirePlan();
    const inside = (...args: string[]) => run("ip", ["-n", host.namespace, ...args]);
    await run("ip", ["netns", "add", host.namespace]);
    await run("ip", ["link", "add", host.vethRoot, "type", "veth", "peer", "name", host.vethHost, "netns", host.namespace]);
    await run("ip", ["link", "set", host.vethRoot, "master", plan.bridge, "up"]);
    await inside("link", "set", host.vethHost, "name", "eth0");
    await inside("addr", "add", `${host.address}/${plan.prefixLength}`, "dev", "eth0");
    await inside("link", "set", "eth0", "up");
    await inside("link", "set", "lo", "up");
  }

  private async applyRules(): Promise<void> {
    const plan = this.requirePlan();
    await Promise.all(
      plan.hosts.map((host) => {
        const dropped = new Set(this.partitionDrops.get(host.name) ?? []);
        for (const [from, to] of this.cuts) if (to === host.name) dropped.add(from);
        const addresses = [...dropped].map((name) => this.address(name));
        return run("ip", ["netns", "exec", host.namespace, "nft", "-f", "-"], nftScript(addresses));
      }),
    );
  }

  private host(name: string): HostPlan {
    const host = this.requirePlan().hosts.find((h) => h.name === name);
    if (!host) throw new Error(`netns: unknown host "${name}" (hosts: ${this.hostNames.join(", ")})`);
    return host;
  }

  private requirePlan(): NetnsPlan {
    if (!this.plan) throw new Error("netns: the network is not set up; call setup() first");
    return this.plan;
  }
}

/**
 * Deleting a namespace drops its veth end and nft table, but a process still
 * inside keeps the namespace (and so the veth pair) alive: deleting the root
 * end explicitly removes the pair regardless.
 */
function teardownCommands(plan: NetnsPlan): [string, string[]][] {
  return [
    ...plan.hosts.map((host): [string, string[]] => ["ip", ["netns", "del", host.namespace]]),
    ...plan.hosts.map((host): [string, string[]] => ["ip", ["link", "del", host.vethRoot]]),
    ["ip", ["link", "del", plan.bridge]],
  ];
}

async function findLeftovers(tag: string): Promise<string[]> {
  const namespaces = (await run("ip", ["netns", "list"])).split("\n").map((line) => line.split(" ")[0]!);
  const links = (await run("ip", ["-o", "link", "show"])).split("\n").map((line) => line.split(": ")[1]?.split("@")[0] ?? "");
  return [...namespaces, ...links].filter((name) => name.startsWith(tag));
}
