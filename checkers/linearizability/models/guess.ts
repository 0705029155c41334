import type { History } from "../../../src/history/op.js";
import type { HistoryFormat } from "../../../src/history/source.js";

/** A model to use when none is given: from the format, then the functions the ops use. */
export function guessModel(format: HistoryFormat, ops: History): string {
  if (format === "porcupine-etcd") return "etcd";
  if (format === "porcupine-kv") return "kv";
  const fs = new Set(ops.filter((op) => op.process !== "nemesis").map((op) => op.f));
  if (fs.has("txn")) return "multi-register";
  if (fs.has("acquire") || fs.has("release")) return "mutex";
  if (fs.has("get") || fs.has("put") || fs.has("append")) return "kv";
  if (fs.has("enqueue") || fs.has("dequeue")) return "queue";
  if (fs.has("add")) return "set";
  return format === "edn" ? "cas-register" : "register";
}
