/**
 * Which sources each host drops, and the nftables script that says so. Pure:
 * the network class applies the result inside each host's namespace.
 *
 * Rules live in the receiving host's own namespace and match on source address,
 * so the controller (the bridge address) is never cut off: clients and the
 * nemesis keep reaching every node while the nodes cannot reach each other.
 */

export const TABLE = "tob_nemesis";

/** For each host, the hosts whose packets it drops because of a partition. */
export function partitionBlocks(hosts: readonly string[], groups: readonly (readonly string[])[]): Map<string, Set<string>> {
  const groupOf = new Map<string, number>();
  groups.forEach((group, g) => {
    for (const host of group) {
      if (!hosts.includes(host)) throw new Error(`netns: partition names unknown host "${host}" (hosts: ${hosts.join(", ")})`);
      if (groupOf.has(host)) throw new Error(`netns: host "${host}" is in two partition groups`);
      groupOf.set(host, g);
    }
  });
  const blocks = new Map<string, Set<string>>();
  for (const to of hosts) {
    const dropped = new Set<string>();
    for (const from of hosts) {
      if (from === to) continue;
      // A host in no group is cut off from everyone (the Cluster seam's rule).
      const together = groupOf.has(from) && groupOf.get(from) === groupOf.get(to);
      if (!together) dropped.add(from);
    }
    blocks.set(to, dropped);
  }
  return blocks;
}

/**
 * An nft script that atomically replaces this namespace's table. "add" then
 * "delete" makes the delete succeed whether or not the table existed, and the
 * whole file is one transaction, so there is no window without rules.
 */
export function nftScript(droppedAddresses: readonly string[]): string {
  const lines = [`add table inet ${TABLE}`, `delete table inet ${TABLE}`];
  if (droppedAddresses.length > 0) {
    lines.push(
      `table inet ${TABLE} {`,
      "  chain input {",
      "    type filter hook input priority -10; policy accept;",
      `    ip saddr { ${[...droppedAddresses].sort().join(", ")} } drop`,
      "  }",
      "}",
    );
  }
  return lines.join("\n") + "\n";
}
