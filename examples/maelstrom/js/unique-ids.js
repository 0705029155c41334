// unique-ids: node id plus a local counter; unique without any coordination.
import { Node } from "./maelstrom.js";

const node = new Node();
let counter = 0;
node.handle("generate", () => ({ type: "generate_ok", id: `${node.id}-${counter++}` }));
node.run();
