// lin-kv with a planted bug: writes and cas go to the lin-kv service, but
// reads are answered from this node's cache of what it last saw, so a read
// misses another node's newer write (a stale read).
import { Node } from "./maelstrom.js";

const node = new Node();
const cache = new Map();

node.handle("read", async (msg) => {
  const key = msg.body.key;
  if (cache.has(key)) return { type: "read_ok", value: cache.get(key) };
  const reply = await node.rpc("lin-kv", { type: "read", key }, 2000);
  if (reply.type === "read_ok") cache.set(key, reply.value);
  const { in_reply_to: _r, ...rest } = reply;
  return rest;
});
node.handle("write", async (msg) => {
  const reply = await node.rpc("lin-kv", { type: "write", key: msg.body.key, value: msg.body.value }, 2000);
  if (reply.type === "write_ok") cache.set(msg.body.key, msg.body.value);
  const { in_reply_to: _r, ...rest } = reply;
  return rest;
});
node.handle("cas", async (msg) => {
  const { key, from, to } = msg.body;
  const reply = await node.rpc("lin-kv", { type: "cas", key, from, to }, 2000);
  if (reply.type === "cas_ok") cache.set(key, to);
  const { in_reply_to: _r, ...rest } = reply;
  return rest;
});
node.run();
