/**
 * What the nemesis needs from a network backend (the controller's TCP proxy
 * mesh, ./proxy/, or network namespaces, ./netns/). Faults are expressed as
 * directed links, because the interesting shapes (bridge, ring, one-way) are not
 * groups: a bridge node hears both halves that cannot hear each other.
 */
export type Link = readonly [from: string, to: string];

export interface Network {
  readonly kind: "proxy" | "netns" | "router";
  /** Messages from `from` to `to` are lost, for every listed link; replaces any earlier cut. */
  cut(links: readonly Link[]): Promise<void>;
  /** Every message on the listed links arrives `delayMs` late; replaces any earlier delay. */
  delay(links: readonly Link[], delayMs: number): Promise<void>;
  /** Every link delivers again, at once. */
  heal(): Promise<void>;
  /** Releases the backend (listeners, namespaces, rules). Idempotent. */
  close(): Promise<void>;
}

/** Every directed link between distinct nodes. */
export function allLinks(nodes: readonly string[]): Link[] {
  const links: Link[] = [];
  for (const from of nodes) for (const to of nodes) if (from !== to) links.push([from, to]);
  return links;
}
