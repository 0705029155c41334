// txn-list-append, strict serializable: the whole database is one value in the
// lin-kv service; a transaction reads it, applies its micro-ops to a copy, and
// compare-and-sets it back, retrying from the start when another wrote first.
// With --lost-update (a planted bug) it writes the copy back blindly, so two
// concurrent transactions each overwrite the other's appends.
import { Node, updateLinKv } from "./maelstrom.js";

const lostUpdate = process.argv.includes("--lost-update");
const node = new Node();

function apply(db, txn) {
  const next = { ...db };
  const done = txn.map(([f, k, v]) => {
    const key = String(k);
    if (f === "r") return [f, k, next[key] ?? null];
    next[key] = [...(next[key] ?? []), v];
    return [f, k, v];
  });
  return [next, done];
}

node.handle("txn", async (msg) => {
  if (lostUpdate) {
    const read = await node.rpc("lin-kv", { type: "read", key: "db" });
    const [next, done] = apply(read.type === "read_ok" ? read.value : {}, msg.body.txn);
    await node.rpc("lin-kv", { type: "write", key: "db", value: next });
    return { type: "txn_ok", txn: done };
  }
  const done = await updateLinKv(node, "db", {}, (db) => apply(db, msg.body.txn));
  return { type: "txn_ok", txn: done };
});
node.run();
