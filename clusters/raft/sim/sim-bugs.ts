import { BUGS, type Bug } from "../node/bugs.js";

/**
 * Bugs planted in the simulated world rather than in the node, each to show a
 * check of the simulator's own fails when it should:
 * - retry-new-seq: a client retries a write that got a 504 under a new sequence
 *   number, so the node cannot tell it from a new write (at-most-once);
 * - rejoin-without-remove: a voter's disk is wiped and it restarts as a voter,
 *   forgetting its votes and log, instead of being removed and added back.
 */
export const SIM_BUG_ABOUT = {
  "retry-new-seq": "a client retries a write after a 504 under a new sequence number: it may apply twice",
  "rejoin-without-remove": "a voter's disk is wiped and it restarts as a voter, without being removed and added back",
} as const;

export type SimBug = keyof typeof SIM_BUG_ABOUT;
/** A bug the simulator can plant: in the node, or in its clients and operator. */
export type PlantedBug = Bug | SimBug;
export const PLANTABLE_BUGS: readonly PlantedBug[] = [...BUGS, ...(Object.keys(SIM_BUG_ABOUT) as SimBug[])];

export function nodeBugs(bugs: readonly PlantedBug[]): Bug[] {
  return bugs.filter((b): b is Bug => (BUGS as readonly string[]).includes(b));
}
