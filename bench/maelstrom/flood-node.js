// A Maelstrom node for the router benchmark: on `flood {count}` it sends
// `count` one-way pings round-robin to the other nodes and answers; on
// `count` it says how many pings it has received.
import { createInterface } from "node:readline";

let id = null;
let others = [];
let received = 0;
const out = (dest, body) => process.stdout.write(JSON.stringify({ src: id, dest, body }) + "\n");

createInterface({ input: process.stdin }).on("line", (line) => {
  const { src, body } = JSON.parse(line);
  switch (body.type) {
    case "init":
      id = body.node_id;
      others = body.node_ids.filter((n) => n !== id);
      return out(src, { type: "init_ok", in_reply_to: body.msg_id });
    case "ping":
      received++;
      return;
    case "flood": {
      const lines = [];
      for (let i = 0; i < body.count; i++) lines.push(JSON.stringify({ src: id, dest: others[i % others.length], body: { type: "ping" } }));
      process.stdout.write(lines.join("\n") + "\n");
      return out(src, { type: "flood_ok", in_reply_to: body.msg_id });
    }
    case "count":
      return out(src, { type: "count_ok", in_reply_to: body.msg_id, received });
  }
});
