/**
 * Headers of the node client API (clusters/raft/node/README.md, "Client sessions"):
 * a write's session tag (client id, sequence number) travels in headers, so
 * every route's body stays as it is.
 */
export const SESSION_CLIENT_HEADER = "x-tob-client";
export const SESSION_SEQ_HEADER = "x-tob-seq";
