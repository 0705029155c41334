/**
 * The full case: a follower killed for 100k entries catches up by
 * InstallSnapshot (`npm test` runs the same scenario at 20k).
 */
process.env.TOB_SNAPSHOT_BEHIND ??= "100000";
await import("../../clusters/raft/snapshot.test.js");
