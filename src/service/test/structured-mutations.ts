/**
 * Structured inputs for POST /api/checks: a valid history of each checker kind,
 * then one seeded mutation whose right answer is known by construction —
 * a field corruption (400 naming the field and line), a semantic change that
 * keeps the shape (a known invalid verdict), a bad query parameter (400 naming
 * it), or a re-serialization that changes nothing (still valid).
 */
import { seededRng } from "../../rng.js";
import { largeRegister } from "./histories.js";

type Rand = () => number;
type Op = Record<string, unknown>;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

export type Expected = { status: 200; valid: boolean; checker: string } | { status: 400; field: string; line?: number };

export interface StructuredCase {
  /** What was done, for a failure message. */
  label: string;
  url: string;
  body: string;
  expected: Expected;
}

interface Base {
  kind: "register" | "kv" | "broadcast" | "list-append";
  query: string;
  checker: string;
  ops: Op[];
}

const parseJsonl = (text: string): Op[] =>
  text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Op);
const withIndex = (ops: Op[]): Op[] => ops.map((op, index) => ({ index, time: index * 1000, ...op }));

function registerBase(r: Rand): Base {
  return {
    kind: "register",
    query: "checker=linearizable&model=register",
    checker: "linearizable",
    ops: parseJsonl(largeRegister(1 + int(r, 3), 1 + int(r, 3), 1)),
  };
}

function kvBase(r: Rand): Base {
  return { kind: "kv", query: "model=kv", checker: "linearizable", ops: parseJsonl(largeRegister(2 + int(r, 3), 1 + int(r, 3), 2)) };
}

/** Messages broadcast one after another, acknowledged at increasing seqs, and every node delivers them all in that order. */
function broadcastBase(r: Rand): Base {
  const messages = Array.from({ length: 2 + int(r, 4) }, (_, i) => `m${i + 1}`);
  const ops: Op[] = [];
  messages.forEach((m, i) => {
    ops.push({ process: i, type: "invoke", f: "broadcast", value: m });
    ops.push({ process: i, type: "ok", f: "broadcast", value: { seq: i + 1, index: 10 + i, term: 1 } });
  });
  const nodes = 2 + int(r, 2);
  for (let n = 0; n < nodes; n++) {
    const process = messages.length + n;
    ops.push({ process, type: "invoke", f: "final-deliveries", value: null, node: `n${n + 1}` });
    ops.push({ process, type: "ok", f: "final-deliveries", value: [...messages], node: `n${n + 1}` });
  }
  return { kind: "broadcast", query: "checker=total-order", checker: "total-order", ops: withIndex(ops) };
}

/** Appends to each key one after another, then one read per key of the whole list: strict serializable. */
function listAppendBase(r: Rand): Base {
  const keys = 1 + int(r, 2);
  const ops: Op[] = [];
  let element = 1;
  const lists = new Map<number, number[]>();
  for (let k = 1; k <= keys; k++) {
    const list: number[] = [];
    for (let a = 2 + int(r, 3); a > 0; a--) {
      const txn = [["append", k, element]];
      list.push(element++);
      ops.push({ process: 0, type: "invoke", f: "txn", value: txn }, { process: 0, type: "ok", f: "txn", value: txn });
    }
    lists.set(k, list);
  }
  for (const [k, list] of lists) {
    ops.push(
      { process: 1, type: "invoke", f: "txn", value: [["r", k, null]] },
      { process: 1, type: "ok", f: "txn", value: [["r", k, list]] },
    );
  }
  return { kind: "list-append", query: "checker=elle-list-append", checker: "elle-list-append", ops: withIndex(ops) };
}

const BASES = [registerBase, kvBase, broadcastBase, listAppendBase] as const;

/** JSON with object keys in random order and random whitespace between tokens: the same history. */
function render(v: unknown, r: Rand): string {
  const ws = () => pick(r, ["", "", " ", "  ", "\t"]);
  if (Array.isArray(v)) return `[${ws()}${v.map((x) => render(x, r)).join(`${ws()},${ws()}`)}${ws()}]`;
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i > 0; i--) {
      const j = int(r, i + 1);
      [keys[i], keys[j]] = [keys[j]!, keys[i]!];
    }
    return `{${ws()}${keys.map((k) => `${JSON.stringify(k)}${ws()}:${ws()}${render((v as Op)[k], r)}`).join(`${ws()},${ws()}`)}${ws()}}`;
  }
  return JSON.stringify(v);
}

const renderHistory = (ops: Op[], r: Rand) =>
  ops.map((op) => `${pick(r, ["", " ", "\t"])}${render(op, r)}${pick(r, ["", " "])}`).join("\n") + "\n";

interface Corruption {
  field: string;
  /** Which ops it applies to. */
  fits(op: Op, base: Base): boolean;
  apply(op: Op, r: Rand): void;
}

const anyOp = () => true;
const CORRUPTIONS: readonly Corruption[] = [
  { field: "process", fits: anyOp, apply: (op) => void delete op.process },
  { field: "process", fits: anyOp, apply: (op, r) => void (op.process = pick(r, [1.5, -0.25, true, [1], {}])) },
  { field: "type", fits: anyOp, apply: (op) => void delete op.type },
  { field: "type", fits: anyOp, apply: (op, r) => void (op.type = pick(r, ["bogus", "OK", "", 7, null])) },
  { field: "f", fits: anyOp, apply: (op) => void delete op.f },
  { field: "f", fits: anyOp, apply: (op, r) => void (op.f = pick(r, [7, true, [], {}])) },
  { field: "time", fits: anyOp, apply: (op, r) => void (op.time = pick(r, ["soon", [], {}])) },
  { field: "key", fits: anyOp, apply: (op, r) => void (op.key = pick(r, [5, true, [], {}])) },
  // the checkers' own fields: a broadcast's ack and a transaction's micro-ops
  {
    field: "value",
    fits: (op, b) => b.kind === "broadcast" && op.f === "broadcast" && op.type === "ok",
    apply: (op, r) => void (op.value = pick(r, ["x", 5, null, []])),
  },
  {
    field: "value",
    fits: (op, b) => b.kind === "list-append" && op.type === "ok",
    apply: (op, r) => void (op.value = pick(r, ["x", 5, null, {}])),
  },
];

function fieldCorruption(base: Base, r: Rand): StructuredCase {
  const ops = structuredClone(base.ops);
  const fitting = CORRUPTIONS.filter((c) => ops.some((op) => c.fits(op, base)));
  const corruption = pick(r, fitting);
  const at = pick(
    r,
    ops.flatMap((op, i) => (corruption.fits(op, base) ? [i] : [])),
  );
  corruption.apply(ops[at]!, r);
  return {
    label: `${base.kind}: corrupt field "${corruption.field}" of op ${at} to ${JSON.stringify(ops[at])}`,
    url: `/api/checks?${base.query}`,
    body: renderHistory(ops, r),
    expected: { status: 400, field: corruption.field, line: at + 1 },
  };
}

const okIndices = (ops: Op[], f: string) => ops.flatMap((op, i) => (op.type === "ok" && op.f === f ? [i] : []));

/** A change that keeps every field well-formed but makes the history certainly invalid. */
function semanticBreak(base: Base, r: Rand): StructuredCase {
  const ops = structuredClone(base.ops);
  let what: string;
  if (base.kind === "register" || base.kind === "kv") {
    const at = pick(r, okIndices(ops, "read"));
    // writes are of 0, 1, 2, …: a negative value was never written
    ops[at]!.value = -1 - int(r, 1000);
    what = `read at op ${at} returns ${ops[at]!.value}, never written`;
  } else if (base.kind === "broadcast") {
    const at = pick(r, okIndices(ops, "final-deliveries"));
    const delivered = ops[at]!.value as string[];
    const j = int(r, delivered.length);
    if (r() < 0.5) {
      const k = (j + 1) % delivered.length;
      [delivered[j], delivered[k]] = [delivered[k]!, delivered[j]!];
      what = `node's deliveries at op ${at} swap positions ${j} and ${k}`;
    } else {
      delivered.splice(int(r, delivered.length + 1), 0, delivered[j]!);
      what = `node's deliveries at op ${at} deliver ${delivered[j]} twice`;
    }
  } else {
    const reads = ops.flatMap((op, i) => (op.type === "ok" && (op.value as unknown[][])[0]![0] === "r" ? [i] : []));
    const at = pick(r, reads);
    const list = (ops[at]!.value as [string, number, number[]][])[0]![2];
    const j = int(r, list.length);
    if (r() < 0.5) {
      const k = (j + 1) % list.length;
      [list[j], list[k]] = [list[k]!, list[j]!];
      what = `read at op ${at} sees appends ${j} and ${k} swapped`;
    } else {
      list[j] = 1_000_000 + int(r, 1000);
      what = `read at op ${at} sees ${list[j]}, never appended`;
    }
  }
  return {
    label: `${base.kind}: ${what}`,
    url: `/api/checks?${base.query}`,
    body: renderHistory(ops, r),
    expected: { status: 200, valid: false, checker: base.checker },
  };
}

function sameHistory(base: Base, r: Rand): StructuredCase {
  return {
    label: `${base.kind}: keys reordered, whitespace added`,
    url: `/api/checks?${base.query}`,
    body: renderHistory(base.ops, r),
    expected: { status: 200, valid: true, checker: base.checker },
  };
}

/** A valid history with one query parameter wrong. */
function badRequest(base: Base, r: Rand): StructuredCase {
  const variants: [string, string][] = [
    ["checker", `checker=${pick(r, ["serial", "LINEARIZABLE", "total_order", "x"])}`],
    ["model", `checker=linearizable&model=${pick(r, ["nope", "REGISTER", "queue2"])}`],
    ["model", `checker=${pick(r, ["total-order", "elle-list-append"])}&model=register`],
    ["timeout", `${base.query}&timeout=${pick(r, ["0", "-1", "abc", "1e9"])}`],
    ["consistency model", `${base.query}&consistencyModels=${pick(r, ["serialisable", "strong"])}`],
  ];
  const [field, query] = pick(r, variants);
  return {
    label: `${base.kind}: bad query ${query}`,
    url: `/api/checks?${query}`,
    body: renderHistory(base.ops, r),
    expected: { status: 400, field },
  };
}

/** Input number `i` of a run: fixed by (seed, i), so any one can be replayed. */
export function structuredCase(seed: number, i: number): StructuredCase {
  const r = seededRng(seed * 1_000_003 + i);
  const base = pick(r, BASES)(r);
  const roll = r();
  if (roll < 0.35) return fieldCorruption(base, r);
  if (roll < 0.65) return semanticBreak(base, r);
  if (roll < 0.9) return sameHistory(base, r);
  return badRequest(base, r);
}
