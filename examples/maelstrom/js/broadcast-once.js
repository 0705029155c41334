// broadcast with a planted bug: each message is forwarded to the neighbours
// once, fire-and-forget, with no retry. A partition loses it for good.
import { Node } from "./maelstrom.js";

const node = new Node();
const messages = new Set();
let neighbours = [];

node.handle("topology", (msg) => {
  neighbours = msg.body.topology[node.id] ?? [];
  return { type: "topology_ok" };
});

node.handle("broadcast", (msg) => {
  const m = msg.body.message;
  if (!messages.has(m)) {
    messages.add(m);
    for (const n of neighbours) node.send(n, { type: "forward", message: m });
  }
  return { type: "broadcast_ok" };
});

node.handle("forward", (msg) => {
  const m = msg.body.message;
  if (messages.has(m)) return null;
  messages.add(m);
  for (const n of neighbours) if (n !== msg.src) node.send(n, { type: "forward", message: m });
  return null;
});

node.handle("read", () => ({ type: "read_ok", messages: [...messages] }));
node.run();
