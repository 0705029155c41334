// lin-kv, correct: every request is passed on to the lin-kv service and its
// reply (or error) passed back.
import { Node } from "./maelstrom.js";

const node = new Node();
for (const type of ["read", "write", "cas"]) {
  node.handle(type, async (msg) => {
    const { msg_id: _id, ...body } = msg.body;
    const reply = await node.rpc("lin-kv", body, 2000);
    const { in_reply_to: _r, ...rest } = reply;
    return rest; // a timeout stays code 0: indefinite
  });
}
node.run();
