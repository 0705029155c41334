// broadcast, correct under partitions, kills and pauses:
// - a client's broadcast is acknowledged only once one other node holds it too,
//   so a crash right after the ack loses nothing;
// - every 200 ms each node gossips to its neighbours what they are not known to
//   hold, until they confirm it (retry until acknowledged);
// - a neighbour that reports holding fewer messages than we thought (it was
//   restarted empty) is sent everything again.
import { Node } from "./maelstrom.js";

const GOSSIP_MS = 200;
const node = new Node();
const messages = new Set();
let neighbours = null;
/** per neighbour: messages it is known to hold */
const known = new Map();

const peers = () => neighbours ?? node.nodeIds.filter((n) => n !== node.id);
const knownBy = (n) => {
  if (!known.has(n)) known.set(n, new Set());
  return known.get(n);
};

node.handle("topology", (msg) => {
  neighbours = msg.body.topology[node.id] ?? null;
  return { type: "topology_ok" };
});

node.handle("broadcast", async (msg) => {
  const m = msg.body.message;
  messages.add(m);
  // one other node must hold it before the client hears ok
  const others = node.nodeIds.filter((n) => n !== node.id);
  for (let attempt = 0; others.length > 0; attempt++) {
    const peer = others[attempt % others.length];
    const reply = await node.rpc(peer, { type: "replicate", messages: [m] }, 300);
    if (reply.type === "replicate_ok") {
      knownBy(peer).add(m);
      break;
    }
  }
  return { type: "broadcast_ok" };
});

node.handle("replicate", (msg) => {
  for (const m of msg.body.messages) messages.add(m);
  return { type: "replicate_ok" };
});

node.handle("gossip", (msg) => {
  const from = msg.src;
  const theirs = knownBy(from);
  for (const m of msg.body.messages) {
    messages.add(m);
    theirs.add(m);
  }
  // they hold fewer than we believed: they restarted empty
  if (msg.body.count < theirs.size) known.set(from, new Set(msg.body.messages));
  return { type: "gossip_ok", messages: msg.body.messages, count: messages.size };
});

node.handle("read", () => ({ type: "read_ok", messages: [...messages] }));

setInterval(() => {
  if (node.id === null) return;
  for (const peer of peers()) {
    const theirs = knownBy(peer);
    const missing = [...messages].filter((m) => !theirs.has(m));
    void node.rpc(peer, { type: "gossip", messages: missing, count: messages.size }, 1000).then((reply) => {
      if (reply.type !== "gossip_ok") return;
      for (const m of reply.messages) theirs.add(m);
      if (reply.count < theirs.size) known.set(peer, new Set());
    });
  }
}, GOSSIP_MS);

node.run();
