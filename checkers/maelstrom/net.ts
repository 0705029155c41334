/**
 * The network's figures for a Maelstrom run (Maelstrom's net stats): messages
 * between nodes, with clients, with services; those lost to cut links or
 * sent to a node that was down; and, Gossip Glomers' figure of merit,
 * inter-node messages per client op. Bad messages (a line that is not a
 * message, a reply to nothing) are a protocol error of the node: invalid.
 * The counts come from the router as data; the checker reads only them and
 * the history. The report plots `per-second` over the faults (src/report/messages.ts).
 */
import { NEMESIS } from "../../src/history/op.js";
import type { Checker, CheckResult } from "../checker.js";

/** Message counts by kind: servers (node to node), clients, services, dropped, undeliverable, bad. */
export type NetCounts = Readonly<Record<string, number>>;

export interface NetStats {
  totals: NetCounts;
  /** One entry per second of the run. */
  perSecond: NetCounts[];
  bad: { node: string; reason: string; line: string; atMs: number }[];
}

export function netChecker(stats: () => NetStats): Checker {
  return {
    name: "net",
    async check(history): Promise<CheckResult> {
      const s = stats();
      const clientOps = history.filter((op) => op.process !== NEMESIS && op.type === "invoke").length;
      const perOp = (n: number) => (clientOps > 0 ? Math.round((n / clientOps) * 100) / 100 : null);
      const count = (kind: string) => s.totals[kind] ?? 0;
      return {
        valid: count("bad") === 0,
        "client-ops": clientOps,
        ...s.totals,
        "servers-msgs-per-op": perOp(count("servers")),
        "all-msgs-per-op": perOp(count("servers") + count("clients") + count("services")),
        "bad-messages": s.bad,
        "per-second": s.perSecond,
      };
    },
  };
}
