// echo: answers each echo with its own text.
import { Node } from "./maelstrom.js";

const node = new Node();
node.handle("echo", (msg) => ({ type: "echo_ok", echo: msg.body.echo }));
node.run();
