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

/** A broadcast acknowledged at seq 3 that every node delivered at seq 1: order not fixed at delivery. */
export function invalidBroadcast(): string {
  const ops = [
    { process: 0, type: "invoke", f: "broadcast", value: "m1" },
    { process: 0, type: "ok", f: "broadcast", value: { seq: 3, index: 5, term: 1 } },
    { process: 1, type: "invoke", f: "final-deliveries", value: null, node: "n1" },
    { process: 1, type: "ok", f: "final-deliveries", value: ["m1"], node: "n1" },
    { process: 2, type: "invoke", f: "final-deliveries", value: null, node: "n2" },
    { process: 2, type: "ok", f: "final-deliveries", value: ["m1"], node: "n2" },
  ];
  return ops.map((op, index) => JSON.stringify({ index, time: index * 1000, ...op })).join("\n") + "\n";
}

/** Jepsen EDN list-append: T2 read [1] after T1's append of 2 had completed (strict serializability broken, serializability kept). */
export function staleListAppendEdn(): string {
  return (
    [
      "{:type :invoke, :f :txn, :value [[:append 1 1]], :process 0, :time 0}",
      "{:type :ok, :f :txn, :value [[:append 1 1]], :process 0, :time 1}",
      "{:type :invoke, :f :txn, :value [[:append 1 2]], :process 0, :time 2}",
      "{:type :ok, :f :txn, :value [[:append 1 2]], :process 0, :time 3}",
      "{:type :invoke, :f :txn, :value [[:r 1 nil]], :process 1, :time 4}",
      "{:type :ok, :f :txn, :value [[:r 1 [1]]], :process 1, :time 5}",
      "{:type :invoke, :f :txn, :value [[:r 1 nil]], :process 2, :time 6}",
      "{:type :ok, :f :txn, :value [[:r 1 [1 2]]], :process 2, :time 7}",
    ].join("\n") + "\n"
  );
}
