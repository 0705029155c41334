import type { Outcome } from "../cluster.js";
import type { GatewayReply } from "./gateway.js";

/**
 * From a gateway reply that is not a success to a Jepsen outcome. The rule is
 * the one that keeps checkers honest: `fail` only when etcd certainly did not
 * apply the request, `info` whenever it may have.
 */

/**
 * Messages etcd 3.4 returns only before a proposal enters the raft log:
 * admission control, validation, or raft dropping the proposal (no leader).
 * A timeout, "server stopped" or "leader changed" may follow a proposal that
 * still commits, so they are not here.
 */
const NOT_APPLIED_MESSAGES = [
  "etcdserver: no leader",
  "raft proposal dropped",
  "etcdserver: too many requests",
  "etcdserver: request is too large",
  "etcdserver: not capable",
  "etcdserver: mvcc: database space exceeded",
];

/** gRPC codes that the gateway only produces for requests refused up front. */
const NOT_APPLIED_CODES = new Set([
  3, // InvalidArgument: malformed request, never proposed
  7, // PermissionDenied
  8, // ResourceExhausted: quota or too many requests
  12, // Unimplemented
  16, // Unauthenticated
]);

export function definitelyNotApplied(message: string, grpcCode: number | null): boolean {
  if (grpcCode !== null && NOT_APPLIED_CODES.has(grpcCode)) return true;
  return NOT_APPLIED_MESSAGES.some((known) => message.includes(known));
}

type Failure = Exclude<GatewayReply, { kind: "ok" }>;

/** For requests that change state (put, cas). */
export function writeFailure<T>(reply: Failure): Outcome<T> {
  switch (reply.kind) {
    case "unsent":
      return { type: "fail", error: reply.error };
    case "unknown":
      return { type: "info", error: reply.error };
    case "rejected":
      // 404: no such gateway path, so nothing was routed to etcd at all.
      return reply.status === 404 || definitelyNotApplied(reply.message, reply.grpcCode)
        ? { type: "fail", error: reply.message }
        : { type: "info", error: reply.message };
  }
}

/**
 * For reads: a read changes nothing, so one whose answer never arrived is as if
 * it never happened, and `fail` is exact (Jepsen's etcd test does the same).
 */
export function readFailure<T>(reply: Failure): Outcome<T> {
  return { type: "fail", error: reply.kind === "rejected" ? reply.message : reply.error };
}
