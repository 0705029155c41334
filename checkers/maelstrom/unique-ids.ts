/** unique-ids: no id is handed out twice (ids compare by their JSON text, so 1 and "1" differ). */
import type { Checker } from "../checker.js";
import { pairs, sample } from "./ops.js";

export const uniqueIdsChecker: Checker = {
  name: "unique-ids",
  async check(history) {
    const firstAt = new Map<string, number>();
    const duplicates: { id: unknown; indexes: [number, number] }[] = [];
    let ok = 0;
    for (const p of pairs("unique-ids", history)) {
      if (p.f !== "generate" || p.type !== "ok" || !p.done) continue;
      ok++;
      const key = JSON.stringify(p.done.value ?? null);
      const seen = firstAt.get(key);
      if (seen !== undefined) duplicates.push({ id: p.done.value, indexes: [seen, p.done.index] });
      else firstAt.set(key, p.done.index);
    }
    const missing = ok > 0 && firstAt.has("null");
    return {
      valid: duplicates.length === 0 && !missing,
      generated: ok,
      "duplicate-count": duplicates.length,
      duplicates: sample(duplicates),
      ...(missing ? { error: "a generate_ok carried no id" } : {}),
    };
  },
};
