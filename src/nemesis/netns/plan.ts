import { randomBytes } from "node:crypto";

/**
 * The names and addresses one NetnsNetwork uses, computed before anything is
 * created so that teardown knows every object even after a half-done setup.
 *
 * Linux caps interface names at 15 bytes (IFNAMSIZ - 1), hence the short
 * prefix and id. Namespaces have no such cap and carry the host name, which
 * makes `ip netns list` readable while a test runs.
 */

export const PREFIX_CHARS_MAX = 5;
const ID_CHARS = 5;
const HOSTS_MAX = 200; // addresses .2 ... .201 of a /24, one digit group of veth suffix room
const HOST_NAME = /^[A-Za-z0-9_-]{1,24}$/;
const PREFIX = /^[a-z][a-z0-9]*$/;

export interface HostPlan {
  name: string;
  namespace: string;
  /** The veth end in the root namespace, enslaved to the bridge. */
  vethRoot: string;
  /** The veth end moved into the host's namespace (renamed to eth0 there). */
  vethHost: string;
  address: string;
}

export interface NetnsPlan {
  /** prefix + id: every object this network creates starts with it. */
  tag: string;
  bridge: string;
  /** The root namespace's address on the subnet: the controller reaches hosts from it. */
  bridgeAddress: string;
  /** e.g. "10.77.5" */
  subnetBase: string;
  prefixLength: 24;
  hosts: HostPlan[];
}

export function randomId(): string {
  // base36 keeps names short and legal in interface names.
  const n = randomBytes(4).readUInt32BE(0);
  return n.toString(36).padStart(ID_CHARS, "0").slice(-ID_CHARS);
}

/** Parses "10.77.5.0/24" into "10.77.5"; only /24 subnets are offered. */
export function parseSubnet(subnet: string): string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/24$/.exec(subnet);
  if (!match || match.slice(1).some((octet) => Number(octet) > 255)) {
    throw new Error(`netns: subnet must look like 10.77.5.0/24 (a /24), got "${subnet}"`);
  }
  return match.slice(1, 4).join(".");
}

export function makePlan(prefix: string, id: string, subnetBase: string, hosts: readonly string[]): NetnsPlan {
  if (!PREFIX.test(prefix) || prefix.length > PREFIX_CHARS_MAX) {
    throw new Error(`netns: prefix must be 1-${PREFIX_CHARS_MAX} lowercase letters/digits starting with a letter, got "${prefix}"`);
  }
  if (hosts.length === 0 || hosts.length > HOSTS_MAX) {
    throw new Error(`netns: between 1 and ${HOSTS_MAX} hosts, got ${hosts.length}`);
  }
  const seen = new Set<string>();
  for (const host of hosts) {
    if (!HOST_NAME.test(host)) throw new Error(`netns: host name "${host}" must match ${HOST_NAME}`);
    if (seen.has(host)) throw new Error(`netns: host "${host}" appears twice`);
    seen.add(host);
  }
  const tag = prefix + id;
  return {
    tag,
    bridge: `${tag}br`,
    bridgeAddress: `${subnetBase}.1`,
    subnetBase,
    prefixLength: 24,
    hosts: hosts.map((name, i) => ({
      name,
      namespace: `${tag}-${name}`,
      vethRoot: `${tag}r${i}`,
      vethHost: `${tag}h${i}`,
      address: `${subnetBase}.${i + 2}`,
    })),
  };
}
