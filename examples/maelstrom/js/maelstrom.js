// A tiny Maelstrom node library: JSON lines on stdin/stdout, logs on stderr.
// handle(type, fn): fn(msg) may return a reply body (or a promise of one);
// rpc(dest, body) resolves with the reply body (errors included).
import { createInterface } from "node:readline";

export class Node {
  constructor() {
    this.id = null;
    this.nodeIds = [];
    this.nextMsgId = 1;
    this.handlers = new Map();
    this.callbacks = new Map();
    this.handle("init", (msg) => {
      this.id = msg.body.node_id;
      this.nodeIds = msg.body.node_ids;
      this.onInit?.();
      return { type: "init_ok" };
    });
  }

  handle(type, fn) {
    this.handlers.set(type, fn);
  }

  log(...parts) {
    process.stderr.write(parts.join(" ") + "\n");
  }

  send(dest, body) {
    process.stdout.write(JSON.stringify({ src: this.id, dest, body }) + "\n");
  }

  reply(msg, body) {
    this.send(msg.src, { ...body, in_reply_to: msg.body.msg_id });
  }

  /** Resolves with the reply's body, or with a timeout error body after timeoutMs. */
  rpc(dest, body, timeoutMs = 1000) {
    const msgId = this.nextMsgId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.callbacks.delete(msgId);
        resolve({ type: "error", code: 0, text: "timeout" });
      }, timeoutMs);
      this.callbacks.set(msgId, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.send(dest, { ...body, msg_id: msgId });
    });
  }

  run() {
    createInterface({ input: process.stdin }).on("line", (line) => this.dispatch(JSON.parse(line)));
  }

  async dispatch(msg) {
    const replyTo = msg.body.in_reply_to;
    if (replyTo !== undefined) {
      const cb = this.callbacks.get(replyTo);
      this.callbacks.delete(replyTo);
      cb?.(msg.body);
      return;
    }
    const fn = this.handlers.get(msg.body.type);
    if (!fn) return this.reply(msg, { type: "error", code: 10, text: `unknown type ${msg.body.type}` });
    try {
      const body = await fn(msg);
      if (body) this.reply(msg, body);
    } catch (err) {
      this.log("handler failed:", err?.stack ?? err);
      this.reply(msg, { type: "error", code: 13, text: String(err?.message ?? err) });
    }
  }
}

/** Read-modify-write of one lin-kv key by compare-and-set, retried until it applies. */
export async function updateLinKv(node, key, initial, update, triesMax = 50) {
  for (let i = 0; i < triesMax; i++) {
    const read = await node.rpc("lin-kv", { type: "read", key });
    if (read.type === "error" && read.code !== 20) throw new Error(`lin-kv read: ${read.text}`);
    const current = read.type === "read_ok" ? read.value : initial;
    const [next, result] = update(current);
    const cas = await node.rpc("lin-kv", {
      type: "cas",
      key,
      from: read.type === "read_ok" ? current : null,
      to: next,
      create_if_not_exists: read.type !== "read_ok",
    });
    if (cas.type === "cas_ok") return result;
    if (cas.code !== 22 && cas.code !== 20) throw Object.assign(new Error(`lin-kv cas: ${cas.text}`), { indefinite: true });
  }
  throw new Error("lin-kv: too much contention");
}
