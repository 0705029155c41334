// unique-ids: node id, this process's start (a restarted node starts empty,
// so its counter alone would repeat ids) and a local counter; no coordination.
import { Node } from "./maelstrom.js";

const node = new Node();
const incarnation = `${Date.now()}.${process.pid}`;
let counter = 0;
node.handle("generate", () => ({ type: "generate_ok", id: `${node.id}-${incarnation}-${counter++}` }));
node.run();
