/** The services a Maelstrom run offers its nodes, by the node id they answer to. */
import { LinKv } from "./lin-kv.js";
import { LinTso } from "./lin-tso.js";
import { LwwKv } from "./lww-kv.js";
import { SeqKv } from "./seq-kv.js";
import type { Service } from "./service.js";

export const SERVICE_IDS = ["lin-kv", "seq-kv", "lww-kv", "lin-tso"] as const;

export function makeServices(seed: number): Service[] {
  return [new LinKv(), new SeqKv(seed), new LwwKv(seed), new LinTso()];
}
