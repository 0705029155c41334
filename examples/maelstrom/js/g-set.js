// g-set over the lin-kv service: the set is one value, grown by compare-and-set.
import { Node, updateLinKv } from "./maelstrom.js";

const node = new Node();
node.handle("add", async (msg) => {
  await updateLinKv(node, "set", [], (set) => [set.includes(msg.body.element) ? set : [...set, msg.body.element], null]);
  return { type: "add_ok" };
});
node.handle("read", async () => {
  const read = await node.rpc("lin-kv", { type: "read", key: "set" });
  if (read.type === "read_ok") return { type: "read_ok", value: read.value };
  if (read.code === 20) return { type: "read_ok", value: [] };
  return { type: "error", code: 11, text: "lin-kv unavailable" };
});
node.run();
