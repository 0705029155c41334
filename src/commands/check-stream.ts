import { checkStream, type StreamProgress, type StreamResult } from "../../checkers/linearizability/stream.js";
import { exitCodeForVerdict } from "../exit.js";
import { InputError } from "../history/input-error.js";

export interface StreamFlags {
  model?: string;
  initial: unknown;
  timeoutMs: number;
  json?: boolean;
}

function progressLine(p: StreamProgress): string {
  if (p.phase === "split") {
    const pct = p.bytesTotal === 0 ? 100 : (100 * p.bytesRead) / p.bytesTotal;
    return `split by key: ${p.lines.toLocaleString("en")} lines read (${pct.toFixed(0)}%)`;
  }
  return `checked bucket ${p.bucket}/${p.buckets}: ${p.operationsChecked.toLocaleString("en")} of ${p.operations.toLocaleString("en")} operations`;
}

function summary(file: string, r: StreamResult): string {
  const verdict =
    r.valid === true ? "valid: linearizable" : r.valid === false ? "INVALID: not linearizable" : "unknown: a search ran out of its budget";
  const notValid = Object.values(r.partitions);
  const lines = [
    `${file}: model ${r.model}, ${r.lines} lines, ${r["op-count"]} operations, streamed in ${r["buckets-checked"]}/${r.buckets} bucket(s), ${r["time-ms"]} ms`,
    verdict,
    `partitions: ${r["partitions-checked"]} checked, ${r["partitions-valid"]} valid, ${notValid.filter((p) => p.valid === false).length} invalid, ${notValid.filter((p) => p.valid === "unknown").length} unknown`,
  ];
  for (const a of r.anomalies) lines.push("", a.text);
  return lines.join("\n") + "\n";
}

/**
 * `tob check --stream FILE`: a JSONL history bigger than memory, checked per
 * key in bounded memory (checkers/linearizability/stream.ts), with progress
 * on stderr.
 */
export async function checkStreamed(file: string, flags: StreamFlags): Promise<number> {
  if (flags.model === undefined)
    throw new InputError("--stream needs --model (the model cannot be guessed without reading the whole history)");
  let last = 0;
  const result = await checkStream(file, {
    model: flags.model,
    initial: flags.initial,
    timeoutMs: flags.timeoutMs,
    onProgress: (p) => {
      const now = Date.now();
      if (now - last < 1000 && !(p.phase === "check" && p.bucket === p.buckets)) return;
      last = now;
      process.stderr.write(progressLine(p) + "\n");
    },
  });
  process.stdout.write(flags.json ? JSON.stringify(result, null, 2) + "\n" : summary(file, result));
  return exitCodeForVerdict(result.valid);
}
