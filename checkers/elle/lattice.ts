/**
 * Elle's facts about consistency models and anomalies, as data (learned from
 * jepsen-io/elle's consistency_model.clj; see models.ts for their use):
 *   IMPLIED_ANOMALIES  a -> anomalies whose presence a implies (G0 implies G1c, ...)
 *   MODELS             m -> weaker models that m implies (serializable implies repeatable-read, ...)
 *   PROSCRIBED         m -> anomalies m forbids directly (weaker models forbid the rest)
 * Model names are canonical here (PL-3 for serializable, ...); CANONICAL maps
 * the friendly names users type to them.
 */

export const IMPLIED_ANOMALIES: Record<string, string[]> = {
  G0: ["G1c", "G0-process"],
  "G0-process": ["G1c-process", "G0-realtime"],
  "G0-realtime": ["G1c-realtime"],
  G1a: ["G1"],
  G1b: ["G1"],
  G1c: ["G1", "G1c-process"],
  "G1c-process": ["G1c-realtime", "G1-process"],
  "G1c-realtime": ["G1-realtime"],
  G1: ["G1-process"],
  "G1-process": ["G1-realtime"],
  "G-single-item": ["G-single", "G-single-item-process", "G-nonadjacent-item"],
  "G-single-item-process": ["G-single-process", "G-single-item-realtime", "G-nonadjacent-item-process"],
  "G-single-item-realtime": ["G-single-realtime", "G-nonadjacent-item-realtime"],
  "G-single": ["G-nonadjacent", "GSIb", "G-single-process"],
  "G-single-process": ["G-nonadjacent-process", "G-single-realtime"],
  "G-single-realtime": ["G-nonadjacent-realtime"],
  "G-nonadjacent-item": ["G-nonadjacent", "G2-item", "G-nonadjacent-item-process"],
  "G-nonadjacent-item-process": ["G-nonadjacent-process", "G2-item-process", "G-nonadjacent-item-realtime"],
  "G-nonadjacent-item-realtime": ["G2-item-realtime", "G-nonadjacent-realtime"],
  "G-nonadjacent": ["G2", "G-nonadjacent-process"],
  "G-nonadjacent-process": ["G2-process", "G-nonadjacent-realtime"],
  "G-nonadjacent-realtime": ["G2-realtime"],
  G2: ["G2-process"],
  "G2-item": ["G2", "G2-item-process"],
  "G2-item-process": ["G2-process", "G2-item-realtime"],
  "G2-item-realtime": ["G2-realtime"],
  "G2-process": ["G2-realtime"],
  GSIa: ["GSI"],
  GSIb: ["GSI"],
  // two committed reads that no one timeline explains: a dirty read
  "incompatible-order": ["G1a"],
  // a trivial wr cycle T -> T
  "future-read": ["G1c"],
  // a write on top of an aborted one
  "dirty-update": ["G1a"],
  "lost-update": ["write-skew", "G2-item"],
  "write-skew": ["G2"],
};

export const MODELS: Record<string, string[]> = {
  "causal-cerone": ["read-atomic"],
  "PL-2+": ["PL-CS", "PL-2L"],
  "PL-3": ["PL-2.99", "PL-3U", "view-serializable", "PL-SI"],
  "PL-CS": ["read-committed", "PL-2"],
  "PL-FCV": ["PL-2+"],
  "PL-2": ["PL-1"],
  "PL-3U": ["PL-FCV"],
  "monotonic-atomic-view": ["read-committed"],
  "PL-2L": ["PL-2"],
  "PL-MSR": ["PL-2"],
  "parallel-snapshot-isolation": ["causal-cerone", "update-atomic"],
  prefix: ["causal-cerone"],
  "read-atomic": ["monotonic-atomic-view"],
  "read-committed": ["read-uncommitted"],
  "PL-2.99": ["PL-CS", "monotonic-atomic-view"],
  "update-atomic": ["read-atomic"],
  "session-serializable": ["1SR"],
  "PL-SI": ["PL-FCV", "monotonic-atomic-view", "PL-MSR", "parallel-snapshot-isolation", "prefix"],
  "PL-SS": ["PL-3", "linearizable", "PL-SI", "strong-snapshot-isolation", "strong-session-serializable", "session-serializable"],
  "strong-session-PL-1": ["PL-1"],
  "strong-session-PL-2": ["PL-2", "strong-session-PL-1"],
  "strong-PL-1": ["strong-session-PL-1"],
  "strong-PL-2": ["strong-session-PL-2", "strong-PL-1"],
  "strong-session-serializable": ["PL-3", "strong-session-snapshot-isolation"],
  "strong-session-snapshot-isolation": ["PL-SI", "strong-session-PL-2"],
  "strong-snapshot-isolation": ["strong-session-snapshot-isolation", "strong-PL-2"],
  linearizable: ["sequential"],
  sequential: ["causal"],
  causal: ["writes-follow-reads", "PRAM"],
  PRAM: ["monotonic-reads", "monotonic-writes", "read-your-writes"],
};

export const PROSCRIBED: Record<string, string[]> = {
  "causal-cerone": ["internal", "G1a"],
  "PL-CS": ["G1", "G-cursor", "lost-update"],
  "PL-2L": ["G1", "G-monotonic"],
  "PL-MSR": ["G1", "G-MSR"],
  "PL-2+": ["G1", "G-single"],
  "PL-FCV": ["G1", "G-SIb"],
  "parallel-snapshot-isolation": ["internal", "G1a"],
  "PL-3": ["G1", "G2", "internal"],
  "PL-2": ["G1"],
  // no Adya history has these at all: a list with an element twice, a read of a
  // version nobody wrote, one txn's appends torn apart or reordered
  "PL-1": ["G0", "duplicate-elements", "cyclic-versions", "garbage-read", "torn-append"],
  prefix: ["internal", "G1a"],
  "PL-SI": ["internal", "G1", "G-SI", "G-nonadjacent"],
  "read-atomic": ["internal", "G1a", "future-read"],
  "PL-2.99": ["G1", "G2-item", "lost-update"],
  "update-atomic": ["lost-update"],
  "PL-SS": ["G1", "G1c-realtime", "G2-realtime"],
  "strong-session-PL-1": ["G0-process"],
  "strong-session-PL-2": ["G1c-process"],
  "strong-PL-1": ["G0-realtime"],
  "strong-PL-2": ["G1c-realtime"],
  "strong-session-snapshot-isolation": ["internal", "G1-process", "G-nonadjacent-process"],
  "strong-snapshot-isolation": ["internal", "G1-realtime", "G-nonadjacent-realtime"],
  "strong-session-serializable": ["G1-process", "G2-process"],
  "PL-3U": ["G1", "G-update"],
};

/** friendly name -> canonical name */
export const CANONICAL: Record<string, string> = {
  "consistent-view": "PL-2+",
  "conflict-serializable": "PL-3",
  "cursor-stability": "PL-CS",
  "forward-consistent-view": "PL-FCV",
  "monotonic-snapshot-read": "PL-MSR",
  "monotonic-view": "PL-2L",
  "read-committed": "PL-2",
  "read-uncommitted": "PL-1",
  "repeatable-read": "PL-2.99",
  serializable: "PL-3",
  "snapshot-isolation": "PL-SI",
  "strict-serializable": "PL-SS",
  "strong-serializable": "PL-SS",
  "update-serializable": "PL-3U",
  "strong-session-read-uncommitted": "strong-session-PL-1",
  "strong-session-read-committed": "strong-session-PL-2",
  "strong-read-uncommitted": "strong-PL-1",
  "strong-read-committed": "strong-PL-2",
};
