import { closeSync, openSync, writeSync } from "node:fs";
import { seededRng } from "../src/rng.js";

export interface SyntheticOptions {
  /** History lines (ops: invocations and completions) to write. */
  lines: number;
  keys: number;
  processes: number;
  seed: number;
  /** Make the read completing at this line return a value never written (a stale/garbage read), to get an invalid history. */
  corruptReadAtLine?: number;
}

/**
 * Writes a linearizable keyed read/write/cas register history (JSONL, model
 * `register`) of any size, in bounded memory: each op takes effect at its
 * completion, while the other processes' ops on the same keys stay open, so
 * there is real concurrency to search. Writes can end `info` (applied or not,
 * by coin), cas ops whose compare fails end `fail`. Returns the lines written.
 */
export function writeSyntheticRegisterHistory(path: string, opts: SyntheticOptions): number {
  const rnd = seededRng(opts.seed);
  const store = new Array<number | null>(opts.keys).fill(null);
  const pending: Array<{ f: string; key: number; value: unknown } | undefined> = new Array(opts.processes);
  const nextProcess = new Int32Array(opts.processes).map((_, p) => p);
  const fd = openSync(path, "w");
  let buffer: string[] = [];
  let line = 0;
  let nextValue = 1;
  let corruptAt = opts.corruptReadAtLine ?? -1;
  const emit = (record: Record<string, unknown>) => {
    line++;
    buffer.push(JSON.stringify({ index: line - 1, time: line, ...record }) + "\n");
    if (buffer.length >= 4096) {
      writeSync(fd, buffer.join(""));
      buffer = [];
    }
  };
  // Bounded: every turn writes one line.
  while (line < opts.lines) {
    const slot = Math.floor(rnd() * opts.processes);
    const process = nextProcess[slot];
    const open = pending[slot];
    if (open === undefined) {
      const key = Math.floor(rnd() * opts.keys);
      const roll = rnd();
      const op =
        roll < 0.5
          ? { f: "read", key, value: null }
          : roll < 0.9
            ? { f: "write", key, value: nextValue++ }
            : { f: "cas", key, value: [store[key], nextValue++] };
      pending[slot] = op;
      emit({ process, type: "invoke", f: op.f, key: String(op.key), value: op.value });
      continue;
    }
    pending[slot] = undefined;
    const k = open.key;
    const base = { process, f: open.f, key: String(k) };
    if (open.f === "read") {
      const corrupt = corruptAt >= 0 && line + 1 >= corruptAt;
      if (corrupt) corruptAt = -1;
      emit({ ...base, type: "ok", value: corrupt ? -1 : store[k] });
    } else if (open.f === "write") {
      if (rnd() < 0.01) {
        if (rnd() < 0.5) store[k] = open.value as number;
        emit({ ...base, type: "info", value: open.value });
        // A process whose outcome is unknown is never reused (Jepsen's rule).
        nextProcess[slot] += opts.processes;
      } else {
        store[k] = open.value as number;
        emit({ ...base, type: "ok", value: open.value });
      }
    } else {
      const [from, to] = open.value as [number | null, number];
      const applies = store[k] === from;
      if (applies) store[k] = to;
      emit({ ...base, type: applies ? "ok" : "fail", value: open.value });
    }
  }
  writeSync(fd, buffer.join(""));
  closeSync(fd);
  return line;
}
