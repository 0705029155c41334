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

/** No leader within the time allowed; a caller may add what it knows (its nodes' log tails). */
export class NoLeaderError extends Error {
  override readonly name = "NoLeaderError";
}

/**
 * Polls `leader` until it names one, or throws NoLeaderError after
 * `timeoutMs`. `check` runs before each poll and may throw (a node died). The
 * one wait for a leader: clusters on start, `tob cluster start`, benchmarks.
 */
export async function waitForLeader(
  leader: () => Promise<string | null | undefined>,
  timeoutMs: number,
  check: () => void = () => {},
  pollMs = POLL_MS,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    check();
    const id = await leader();
    if (id) return id;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new NoLeaderError(`no leader within ${timeoutMs} ms`);
}

/** The API nodes' leader once it has committed an entry of its term (its no-op), so it serves requests; else null. */
export function servingLeader(nodes: { id: string; httpUrl: string }[]): () => Promise<string | null> {
  return async () => {
    const leader = leaderOf(await statuses(nodes));
    return leader && leader.commitIndex > 0 && leader.appliedIndex >= leader.commitIndex ? leader.id : null;
  };
}
