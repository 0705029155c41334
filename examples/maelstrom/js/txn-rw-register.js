// txn-rw-register, strict serializable: the whole database is one value in the
// lin-kv service, updated by compare-and-set (as txn-list-append.js).
import { Node, updateLinKv } from "./maelstrom.js";

const node = new Node();

function apply(db, txn) {
  const next = { ...db };
  const done = txn.map(([f, k, v]) => {
    const key = String(k);
    if (f === "r") return [f, k, next[key] ?? null];
    next[key] = v;
    return [f, k, v];
  });
  return [next, done];
}

node.handle("txn", async (msg) => ({ type: "txn_ok", txn: await updateLinKv(node, "db", {}, (db) => apply(db, msg.body.txn)) }));
node.run();
