/**
 * kafka: append-only logs by key. Clients send messages (unique integers) to
 * a key's log and get its offset; poll from where they last were; commit the
 * offsets they consumed; and list the committed offsets. At the end, on a
 * quiet cluster, every node's logs are read from offset 0 (final-poll).
 * Client state (each process's next offset per key) is the generator's,
 * updated from poll completions, so a seed fixes every request.
 */
import { kafkaChecker } from "../../checkers/maelstrom/kafka.js";
import { source } from "../../src/controller/generator.js";
import type { Op } from "../../src/history/op.js";
import { nextFloat, nextInt } from "../../src/rng.js";
import type { Completion } from "../workload.js";
import { finalReads } from "./final.js";
import { type MaelstromRpcClient, type MaelstromWorkload, reply } from "./workload.js";

type Offsets = Record<string, number>;
type Entries = Record<string, [number, unknown][]>;

interface KafkaState {
  nextMsg: number;
  /** Per process: the next offset to poll per key. */
  positions: Record<string, Offsets>;
}

/** Rounds of a final poll at most: each round returns at least one entry per key still growing. */
const FINAL_POLL_ROUNDS_MAX = 1_000;

export const kafka: MaelstromWorkload = {
  name: "kafka",
  description: "append-only logs by key: send, poll, commit_offsets, list_committed_offsets",
  make(opts) {
    const keys = Array.from({ length: opts.keyCount }, (_, i) => String(i));
    return {
      generator: source<KafkaState>(
        { nextMsg: 1, positions: {} },
        opts.seed,
        (s, rng0, process) => {
          let [f, rng] = nextFloat(rng0);
          const mine = s.positions[String(process)] ?? {};
          if (f < 0.45) {
            let k: number;
            [k, rng] = nextInt(rng, keys.length);
            const key = keys[k] as string;
            return [{ f: "send", key, value: { key, msg: s.nextMsg } }, { ...s, nextMsg: s.nextMsg + 1 }, rng];
          }
          if (f < 0.8) return [{ f: "poll", value: { offsets: Object.fromEntries(keys.map((k) => [k, mine[k] ?? 0])) } }, s, rng];
          if (f < 0.9)
            return [
              {
                f: "commit_offsets",
                value: {
                  offsets: Object.fromEntries(
                    Object.entries(mine)
                      .filter(([, o]) => o > 0)
                      .map(([k, o]) => [k, o - 1]),
                  ),
                },
              },
              s,
              rng,
            ];
          return [{ f: "list_committed_offsets", value: { keys } }, s, rng];
        },
        (s, event) =>
          event.type === "ok" && event.f === "poll"
            ? { ...s, positions: { ...s.positions, [String(event.process)]: advance(s.positions[String(event.process)] ?? {}, event) } }
            : s,
      ),
      final: () => finalReads(opts.nodes, { f: "final-poll", value: { keys } }),
      invoke: (client, op) => invokeKafka(client, op.f, op.value as Record<string, unknown>),
      checkers: [kafkaChecker],
    };
  },
};

async function invokeKafka(client: MaelstromRpcClient, f: string, value: Record<string, unknown>): Promise<Completion> {
  switch (f) {
    case "send":
      return reply(await client.rpc({ type: "send", key: value.key, msg: value.msg }), (b) => ({ ...value, offset: b.offset }));
    case "poll":
      return reply(await client.rpc({ type: "poll", offsets: value.offsets }), (b) => ({ ...value, msgs: b.msgs ?? {} }));
    case "commit_offsets":
      return reply(await client.rpc({ type: "commit_offsets", offsets: value.offsets }), () => value);
    case "list_committed_offsets":
      return reply(await client.rpc({ type: "list_committed_offsets", keys: value.keys }), (b) => ({ ...value, offsets: b.offsets ?? {} }));
    case "final-poll":
      return finalPoll(client, value.keys as string[]);
    default:
      throw new Error(`kafka: unknown f ${f}`);
  }
}

/** Every key's whole log, polled from 0 until a round brings nothing new. */
async function finalPoll(client: MaelstromRpcClient, keys: readonly string[]): Promise<Completion> {
  const msgs: Entries = Object.fromEntries(keys.map((k) => [k, []]));
  const next: Offsets = Object.fromEntries(keys.map((k) => [k, 0]));
  for (let round = 0; round < FINAL_POLL_ROUNDS_MAX; round++) {
    const out = await client.rpc({ type: "poll", offsets: next });
    if (out.type !== "ok") return { type: out.type, value: null, error: out.error };
    let grew = false;
    for (const [k, entries] of Object.entries((out.value.msgs ?? {}) as Entries)) {
      if (!Array.isArray(entries) || entries.length === 0 || !(k in msgs)) continue;
      (msgs[k] as [number, unknown][]).push(...entries);
      next[k] = Math.max(...entries.map((e) => Number(e[0]))) + 1;
      grew = true;
    }
    if (!grew) return { type: "ok", value: { keys, msgs } };
  }
  return { type: "info", value: null, error: `final-poll: logs still growing after ${FINAL_POLL_ROUNDS_MAX} rounds` };
}

/** After a poll: each key's next offset is one past the last it returned. */
function advance(positions: Offsets, event: Op): Offsets {
  const msgs = ((event.value as { msgs?: Entries } | null)?.msgs ?? {}) as Entries;
  const out = { ...positions };
  for (const [k, entries] of Object.entries(msgs)) {
    const last = Array.isArray(entries) ? entries.at(-1) : undefined;
    if (last && Number.isInteger(last[0])) out[k] = Math.max(out[k] ?? 0, (last[0] as number) + 1);
  }
  return out;
}
