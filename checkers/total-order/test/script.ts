/** Broadcast histories written op by op, for the total-order tests. */
import type { Op } from "../../../src/history/op.js";

export const MS = 1e6;

/** Builds histories op by op; each call advances the clock by 1 ms unless a time is given. */
export class H {
  ops: Op[] = [];
  private clockNs = 0;
  private push(op: Omit<Op, "index" | "time">, timeNs?: number): void {
    this.clockNs = timeNs ?? this.clockNs + MS;
    this.ops.push({ index: this.ops.length, time: this.clockNs, ...op });
  }
  broadcast(process: number, message: string, outcome: "ok" | "fail" | "info", seq = 0): this {
    this.push({ process, type: "invoke", f: "broadcast", value: message });
    this.push({ process, type: outcome, f: "broadcast", value: outcome === "ok" ? { seq, index: seq + 10, term: 1 } : null });
    return this;
  }
  read(node: string, messages: string[], final = false, timeNs?: number): this {
    const f = final ? "final-deliveries" : "deliveries";
    this.push({ process: `r-${node}`, type: "invoke", f, value: null, node }, timeNs);
    this.push({ process: `r-${node}`, type: "ok", f, value: messages, node }, timeNs);
    return this;
  }
  finals(nodes: Record<string, string[]>): this {
    for (const [node, messages] of Object.entries(nodes)) this.read(node, messages, true);
    return this;
  }
}
