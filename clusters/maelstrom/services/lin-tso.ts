/** lin-tso: a linearizable timestamp oracle; each `ts` request gets the next integer. */
import { type Body, ERR_NOT_SUPPORTED, errorBody } from "../../api/maelstrom-protocol.js";
import type { Service } from "./service.js";

export class LinTso implements Service {
  readonly id = "lin-tso";
  private next = 0;

  handle(_src: string, body: Body): Body {
    if (body.type !== "ts") return errorBody(ERR_NOT_SUPPORTED, `lin-tso knows only ts, not ${JSON.stringify(body.type)}`, body.msg_id);
    return { type: "ts_ok", ts: this.next++ };
  }

  close(): void {}
}
