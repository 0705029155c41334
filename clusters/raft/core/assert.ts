/**
 * Programmer errors crash: a broken invariant in the consensus core must never be
 * papered over, because carrying on would risk acknowledging a write that is lost.
 */
export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`raft invariant: ${message}`);
}
