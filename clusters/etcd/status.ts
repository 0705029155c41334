import type { Gateway } from "./gateway.js";

/** What `/v3/maintenance/status` says about one member (uint64s arrive as strings). */
export interface MemberStatus {
  memberId: string;
  /** null when the member knows no leader (etcd omits the zero id). */
  leaderId: string | null;
  raftTerm: number;
  raftIndex: number;
  appliedIndex: number;
}

export async function memberStatus(gateway: Gateway, timeoutMs?: number): Promise<MemberStatus | { error: string }> {
  const reply = await gateway.post("/v3/maintenance/status", {}, timeoutMs);
  if (reply.kind !== "ok") return { error: reply.kind === "rejected" ? reply.message : reply.error };
  const body = reply.body as {
    header?: { member_id?: string };
    leader?: string;
    raftTerm?: string;
    raftIndex?: string;
    raftAppliedIndex?: string;
  };
  const memberId = body.header?.member_id;
  if (!memberId) return { error: `status without a member id: ${JSON.stringify(body).slice(0, 200)}` };
  const leaderId = body.leader && body.leader !== "0" ? body.leader : null;
  return {
    memberId,
    leaderId,
    raftTerm: Number(body.raftTerm ?? 0),
    raftIndex: Number(body.raftIndex ?? 0),
    appliedIndex: Number(body.raftAppliedIndex ?? 0),
  };
}
