import type { NodeStatus } from "../cluster.js";
import { ApiClient } from "./client.js";

/** Finding the leader by asking the nodes, shared by every kind whose nodes speak the API and by `tob cluster`. */

/** Short, so a paused or dead node does not hold up the question. */
export const STATUS_TIMEOUT_MS = 500;
const POLL_MS = 25;

/** Each node's status, or null when it did not answer. */
export async function statuses(nodes: { id: string; httpUrl: string }[]): Promise<(NodeStatus | null)[]> {
  return Promise.all(
    nodes.map(async (n) => {
      const client = new ApiClient(n.id, n.httpUrl, STATUS_TIMEOUT_MS);
      try {
        const s = await client.status();
        return s.type === "ok" ? s.value : null;
      } finally {
        await client.close();
      }
    }),
  );
}

/** The node claiming leadership in the highest term (a deposed leader may not know yet). */
export function leaderOf(all: (NodeStatus | null)[]): NodeStatus | null {
  let best: NodeStatus | null = null;
  for (const s of all) if (s?.role === "leader" && (!best || s.term > best.term)) best = s;
  return best;
}

/**
 * Polls until a leader has committed an entry of its term (its no-op), so it
 * serves requests. `check` runs before each poll and may throw (a node died).
 */
export async function waitForLeader(nodes: { id: string; httpUrl: string }[], timeoutMs: number, check: () => void): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    check();
    const leader = leaderOf(await statuses(nodes));
    if (leader && leader.commitIndex > 0 && leader.appliedIndex >= leader.commitIndex) return leader.id;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`no leader within ${timeoutMs} ms`);
}
