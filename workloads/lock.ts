/**
 * lock: processes acquire a lock, use a guarded resource with the fencing
 * token, and release. The resource (a storage service of the controller's)
 * accepts a token only if no higher one was seen, as fencing requires. Locks
 * rotate by window (./keys.ts): our locks have no lease, so a lock whose
 * holder died with an unknown outcome stays taken, and only its window stalls.
 *
 * Checked: mutual exclusion (mutex model), growing tokens (fencing model), and
 * the resource: a stale token reaching it means two holders overlapped.
 */
import type { ClusterClient } from "../clusters/cluster.js";
import type { Checker, CheckResult } from "../checkers/checker.js";
import type { Op, Process } from "../src/history/op.js";
import { source } from "../src/controller/generator.js";
import { only, linearizable } from "./checks.js";
import { windowKey, type KeyWindow } from "./keys.js";
import { need, type Completion, type Workload } from "./workload.js";

const WINDOW: KeyWindow = { prefix: "lock", width: 2, opsPerKey: 40 };

/** Per process: the lock it holds and its token, and whether it used the resource yet. */
interface Holding {
  key: string;
  token: number;
  used: boolean;
}
type State = { n: number; holding: ReadonlyMap<Process, Holding> };

export const lock: Workload = {
  name: "lock",
  description: "acquire, use a fenced resource, release; mutex and fencing models, stale tokens at the resource",
  requires: ["acquire", "release"],
  defaultNemesis: ["kill", "pause", "partition"],
  make(opts) {
    const generator = source<State>({ n: 0, holding: new Map() }, opts.seed, next, observe);
    const resource = new FencedResource();
    return {
      generator,
      final: null,
      invoke: (client, op) => invoke(client, op.f, op.key as string, op.process, op.value, resource),
      checkers: [
        linearizable("mutex", ["acquire", "release"]),
        linearizable("fencing", ["acquire", "release"]),
        only(["use"], resourceChecker),
      ],
    };
  },
};

function next(s: State, rng: number, process: Process): [{ f: string; key: string; value: unknown }, State, number] {
  const held = s.holding.get(process);
  if (held && !held.used) return [{ f: "use", key: held.key, value: { token: held.token } }, s, rng];
  if (held) return [{ f: "release", key: held.key, value: { token: held.token } }, s, rng];
  const [key, r] = windowKey(WINDOW, s.n, rng);
  return [{ f: "acquire", key, value: null }, { ...s, n: s.n + 1 }, r];
}

/** Remembers tokens granted and spent; a process whose op ended in info is retired, so it is forgotten. */
function observe(s: State, op: Op): State {
  const holding = new Map(s.holding);
  const token = (op.value as { token?: number } | null)?.token;
  if (op.f === "acquire" && op.type === "ok" && typeof token === "number") {
    holding.set(op.process, { key: op.key as string, token, used: false });
  } else if (op.f === "use") {
    const held = holding.get(op.process);
    if (held && op.type !== "info") holding.set(op.process, { ...held, used: true });
    else holding.delete(op.process);
  } else if (op.f === "release" || op.type === "info") {
    // A failed release means we did not hold it (anymore): either way, start over.
    holding.delete(op.process);
  }
  return { ...s, holding };
}

async function invoke(
  client: ClusterClient,
  f: string,
  key: string,
  process: Process,
  value: unknown,
  resource: FencedResource,
): Promise<Completion> {
  const owner = `p${String(process)}`;
  if (f === "acquire") {
    const out = await need(client, "acquire")(key, owner);
    if (out.type !== "ok") return { type: out.type, value: null, error: out.error };
    if (!out.value.ok) return { type: "fail", value: null, error: `held by ${out.value.holder}` };
    return { type: "ok", value: { token: out.value.token } };
  }
  const token = (value as { token: number }).token;
  if (f === "use") {
    return resource.write(key, token) ? { type: "ok", value: { token } } : { type: "fail", value: { token }, error: "stale-token" };
  }
  const out = await need(client, "release")(key, owner, token);
  if (out.type !== "ok") return { type: out.type, value: null, error: out.error };
  return out.value.ok ? { type: "ok", value: { token } } : { type: "fail", value: { token }, error: "not-holder" };
}

/** A storage service guarded by fencing tokens: a write with a token lower than one already seen is refused. */
class FencedResource {
  private readonly highest = new Map<string, number>();

  write(key: string, token: number): boolean {
    if (token < (this.highest.get(key) ?? -Infinity)) return false;
    this.highest.set(key, token);
    return true;
  }
}

/** Every refusal by the resource is a holder acting after a later holder: an overlap of two holds. */
const resourceChecker: Checker = {
  name: "fenced-resource",
  async check(history): Promise<CheckResult> {
    const refused = history.filter((op) => op.f === "use" && op.type === "fail");
    const accepted = history.filter((op) => op.f === "use" && op.type === "ok").length;
    return {
      valid: refused.length === 0,
      accepted,
      "stale-tokens": refused.length,
      ...(refused.length ? { "anomaly-types": ["stale-token"], examples: refused.slice(0, 5) } : {}),
    };
  },
};
