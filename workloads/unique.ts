/**
 * unique: processes race to claim usernames by compare-and-set from absent;
 * exactly one claim may win each name. At the end every name is read, so a
 * winner that was acknowledged but lost, or a silent second winner, shows.
 * Claims are `cas [null, owner]` ops, so the register model checks them too.
 */
import type { Checker, CheckResult } from "../checkers/checker.js";
import type { Op } from "../src/history/op.js";
import { list, source } from "../src/controller/generator.js";
import { limit } from "../src/controller/generator-combinators.js";
import { registerChecker, registerClient } from "./register-client.js";
import { windowKey, type KeyWindow } from "./keys.js";
import type { Workload } from "./workload.js";

const WINDOW: KeyWindow = { prefix: "user", width: 3, opsPerKey: 4 };
/** Claims the generator makes at most; bounds the names, so the final reads too. */
const CLAIMS_MAX = 20_000;

export const unique: Workload = {
  name: "unique",
  description: "racing CAS-from-absent claims of usernames; exactly one winner per name",
  requires: ["get", "cas"],
  defaultNemesis: ["kill", "partition"],
  make(opts) {
    const claims = source<number>(0, opts.seed, (n, rng0, process) => {
      const [key, rng] = windowKey(WINDOW, n, rng0);
      return [{ f: "cas", key, value: [null, `p${String(process)}`] }, n + 1, rng];
    });
    const generator = limit(CLAIMS_MAX, claims);
    return {
      generator,
      final: (history) => list(claimedNames(history).map((key) => ({ f: "read", key, value: null }))),
      invoke: registerClient(opts.readConsistency),
      checkers: [uniquenessChecker, registerChecker()],
    };
  },
};

/** Every name some claim was invoked on, in first-claim order. */
function claimedNames(history: readonly Op[]): string[] {
  const names = new Set<string>();
  for (const op of history) if (op.type === "invoke" && op.f === "cas" && op.key !== undefined) names.add(op.key);
  return [...names];
}

/**
 * Per name, what claims allow: at most one acknowledged claim (two-winners);
 * a final read that shows the acknowledged claim's owner (lost-claim); and,
 * with no acknowledged claim, a final read that shows no one or the owner of
 * a claim whose outcome is unknown (info, or never answered), never the owner
 * of a failed claim or of none at all (phantom-owner: a failed claim applied,
 * or a value from nowhere). Each example cites the ops that show it (`ops`:
 * history indexes).
 */
export const uniquenessChecker: Checker = {
  name: "uniqueness",
  async check(history): Promise<CheckResult> {
    const invokes = new Map<string | number, Op>();
    const winners = new Map<string, { owner: string; op: number }[]>();
    /** Owners whose claim may have applied unseen: info, or still open at the end. */
    const maybe = new Map<string, Set<string>>();
    const finals = new Map<string, Op>();
    const ownerOf = (op: Op) => (invokes.get(op.process)!.value as [null, string])[1];
    const addWinner = (key: string, winner: { owner: string; op: number }) => {
      const list = winners.get(key);
      if (list) list.push(winner);
      else winners.set(key, [winner]);
    };
    const addMaybe = (key: string, owner: string) => maybe.set(key, (maybe.get(key) ?? new Set()).add(owner));
    for (const op of history) {
      if (op.process === "nemesis" || op.key === undefined) continue;
      if (op.type === "invoke") {
        invokes.set(op.process, op);
        continue;
      }
      if (op.f === "cas" && op.type === "ok") addWinner(op.key, { owner: ownerOf(op), op: op.index });
      else if (op.f === "cas" && op.type === "info") addMaybe(op.key, ownerOf(op));
      else if (op.f === "read" && op.type === "ok") finals.set(op.key, op);
      invokes.delete(op.process);
    }
    for (const open of invokes.values())
      if (open.f === "cas" && open.key !== undefined) addMaybe(open.key, (open.value as [null, string])[1]);
    const twoWinners = [...winners]
      .filter(([, w]) => w.length > 1)
      .map(([key, w]) => ({ key, winners: w.map((x) => x.owner), ops: w.slice(0, 2).map((x) => x.op) }));
    const lostWinners = [...winners]
      .filter(([key, w]) => w.length === 1 && finals.has(key) && finals.get(key)?.value !== w[0]?.owner)
      .map(([key, w]) => ({ key, winner: w[0]?.owner, final: finals.get(key)?.value ?? null, ops: [w[0]?.op, finals.get(key)?.index] }));
    const phantoms = [...finals]
      .filter(([key, read]) => !winners.has(key) && read.value !== null && !maybe.get(key)?.has(read.value as string))
      .map(([key, read]) => ({ key, final: read.value, ops: [read.index] }));
    const anomalies = [
      ...(twoWinners.length ? ["two-winners"] : []),
      ...(lostWinners.length ? ["lost-claim"] : []),
      ...(phantoms.length ? ["phantom-owner"] : []),
    ];
    return {
      valid: anomalies.length === 0,
      names: new Set([...winners.keys(), ...maybe.keys(), ...finals.keys()]).size,
      "anomaly-types": anomalies,
      "two-winners": twoWinners.slice(0, 10),
      "lost-claims": lostWinners.slice(0, 10),
      "phantom-owners": phantoms.slice(0, 10),
    };
  },
};
