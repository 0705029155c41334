import { ApiClient } from "./client.js";

/**
 * Membership changes over the node API (POST /v1/members, DELETE
 * /v1/members/:id, GET /v1/members), shared by `tob cluster add|remove` and the
 * clusters whose nodes change membership at run time (the membership nemesis).
 */

export type MemberChange = { op: "add"; id: string; peer: string; http: string } | { op: "remove"; id: string };

/**
 * ok: committed. refused: the leader said why not (certainly not made).
 * unavailable: no leader took it (certainly not made). unknown: it may have
 * been made. invalid: the request itself was wrong (a bug or bad input).
 */
export type MemberChangeOutcome =
  | { kind: "ok"; index: number; voters: string[] }
  | { kind: "refused" | "unavailable" | "unknown" | "invalid"; detail: string };

/** GET /v1/members: the voters as one node sees them; `pending` while the newest change is uncommitted. */
export interface MembersView {
  id: string;
  members: { id: string; dial: string; http: string }[];
  configIndex: number;
  pending: boolean;
  leader: string | null;
}

const RETRY_MS = 100;
const REQUEST_TIMEOUT_MS = 3000;

/**
 * Sends `change` to the nodes in turn until one answers for certain, retrying
 * while no leader takes it (an election, a leader that has not committed in its
 * term yet) until `timeoutMs` has passed. Never resends after an unknown outcome.
 */
export async function changeMembership(
  nodes: readonly { id: string; httpUrl: string }[],
  change: MemberChange,
  timeoutMs: number,
): Promise<MemberChangeOutcome> {
  if (nodes.length === 0) return { kind: "unavailable", detail: "no node to ask" };
  const deadline = Date.now() + timeoutMs;
  let last: MemberChangeOutcome = { kind: "unavailable", detail: "no answer" };
  // Bounded by the deadline: each round waits RETRY_MS, each request at most REQUEST_TIMEOUT_MS.
  while (Date.now() < deadline) {
    for (const n of nodes) {
      const client = new ApiClient(n.id, n.httpUrl, Math.max(1, Math.min(REQUEST_TIMEOUT_MS, deadline - Date.now())));
      try {
        last = await client.changeMembers(change);
      } finally {
        await client.close();
      }
      if (last.kind !== "unavailable") return last;
    }
    await new Promise((r) => setTimeout(r, RETRY_MS));
  }
  return last;
}

/** The leader's view of the voters once no change is in flight, or null when no leader answers within `timeoutMs`. */
export async function settledMembers(nodes: readonly { id: string; httpUrl: string }[], timeoutMs: number): Promise<MembersView | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const n of nodes) {
      const client = new ApiClient(n.id, n.httpUrl, Math.max(1, Math.min(REQUEST_TIMEOUT_MS, deadline - Date.now())));
      try {
        const r = await client.members();
        if (r.type === "ok" && r.value.leader === r.value.id && !r.value.pending) return r.value;
      } finally {
        await client.close();
      }
    }
    await new Promise((r) => setTimeout(r, RETRY_MS));
  }
  return null;
}
