/** Hand-made JSONL histories for the service's tests and benchmark, in the controller's shape. */

interface Line {
  process: number;
  type: "invoke" | "ok" | "fail" | "info";
  f: string;
  value: unknown;
  key?: string;
}

function jsonl(lines: Line[]): string {
  return lines.map((l, index) => JSON.stringify({ index, time: index * 1000, ...l })).join("\n") + "\n";
}

/** write 1, then read 1: linearizable for the register model. */
export function validRegister(): string {
  return jsonl([
    { process: 0, type: "invoke", f: "write", value: 1 },
    { process: 0, type: "ok", f: "write", value: 1 },
    { process: 1, type: "invoke", f: "read", value: null },
    { process: 1, type: "ok", f: "read", value: 1 },
  ]);
}

/** write 1 completes, then a read sees 2, which nobody wrote: not linearizable. */
export function invalidRegister(): string {
  return jsonl([
    { process: 0, type: "invoke", f: "write", value: 1 },
    { process: 0, type: "ok", f: "write", value: 1 },
    { process: 1, type: "invoke", f: "read", value: null },
    { process: 1, type: "ok", f: "read", value: 2 },
  ]);
}

/**
 * `rounds` rounds of `processes` concurrent writes of distinct values, each
 * followed by a read of the last one: valid, and as large as wanted.
 */
export function largeRegister(rounds: number, processes = 4, keys = 1): string {
  const lines: Line[] = [];
  let value = 0;
  for (let r = 0; r < rounds; r++) {
    const key = String(r % keys);
    const first = value;
    for (let p = 0; p < processes; p++) lines.push({ process: p, type: "invoke", f: "write", value: value++, key });
    for (let p = 0; p < processes; p++) lines.push({ process: p, type: "ok", f: "write", value: first + p, key });
    lines.push({ process: 0, type: "invoke", f: "read", value: null, key });
    lines.push({ process: 0, type: "ok", f: "read", value: first + processes - 1, key });
  }
  return jsonl(lines);
}

/**
 * `writers` concurrent writes, then a read of a value nobody wrote. Invalid,
 * but a linearizability search must try every order of the writes first:
 * with 20 or more it runs far past any short budget.
 */
export function hardRegister(writers: number): string {
  const lines: Line[] = [];
  for (let p = 0; p < writers; p++) lines.push({ process: p, type: "invoke", f: "write", value: p });
  for (let p = 0; p < writers; p++) lines.push({ process: p, type: "ok", f: "write", value: p });
  lines.push({ process: writers, type: "invoke", f: "read", value: null });
  lines.push({ process: writers, type: "ok", f: "read", value: -1 });
  return jsonl(lines);
}
