// g-counter and pn-counter over the lin-kv service: one value, added to by compare-and-set.
import { Node, updateLinKv } from "./maelstrom.js";

const node = new Node();
node.handle("add", async (msg) => {
  await updateLinKv(node, "counter", 0, (n) => [n + msg.body.delta, null]);
  return { type: "add_ok" };
});
node.handle("read", async () => {
  const read = await node.rpc("lin-kv", { type: "read", key: "counter" });
  if (read.type === "read_ok") return { type: "read_ok", value: read.value };
  if (read.code === 20) return { type: "read_ok", value: 0 };
  return { type: "error", code: 11, text: "lin-kv unavailable" };
});
node.run();
