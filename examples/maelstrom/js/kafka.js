// kafka over the lin-kv service: each key's log is one lin-kv value (a list;
// the offset is the index), appended by compare-and-set; each key's committed
// offset is another value that only grows.
// With --lost-commit (a planted bug) commits are written blindly, so a slower
// commit of a lower offset overwrites a higher one.
import { Node, updateLinKv } from "./maelstrom.js";

const lostCommit = process.argv.includes("--lost-commit");
const node = new Node();
const POLL_ENTRIES_MAX = 100;

async function readValue(key, absent) {
  const r = await node.rpc("lin-kv", { type: "read", key });
  if (r.type === "read_ok") return r.value;
  if (r.code === 20) return absent;
  throw new Error(`lin-kv read ${key}: ${r.text}`);
}

node.handle("send", async (msg) => {
  const { key, msg: m } = msg.body;
  const offset = await updateLinKv(node, `log-${key}`, [], (log) => [[...log, m], log.length]);
  return { type: "send_ok", offset };
});

node.handle("poll", async (msg) => {
  const msgs = {};
  for (const [key, from] of Object.entries(msg.body.offsets)) {
    const log = await readValue(`log-${key}`, []);
    const entries = log.slice(from, from + POLL_ENTRIES_MAX).map((m, i) => [from + i, m]);
    if (entries.length > 0) msgs[key] = entries;
  }
  return { type: "poll_ok", msgs };
});

node.handle("commit_offsets", async (msg) => {
  for (const [key, offset] of Object.entries(msg.body.offsets)) {
    if (lostCommit) await node.rpc("lin-kv", { type: "write", key: `commit-${key}`, value: offset });
    else await updateLinKv(node, `commit-${key}`, -1, (c) => [Math.max(c, offset), null]);
  }
  return { type: "commit_offsets_ok" };
});

node.handle("list_committed_offsets", async (msg) => {
  const offsets = {};
  for (const key of msg.body.keys) {
    const c = await readValue(`commit-${key}`, -1);
    if (c >= 0) offsets[key] = c;
  }
  return { type: "list_committed_offsets_ok", offsets };
});

node.run();
