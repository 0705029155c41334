/**
 * Porcupine's own times on the shared corpus, measured now by its driver
 * (../shared/porcupine/run.sh: median of 5 per file, parsing excluded), so
 * `npm run bench:check` compares with a figure from the same run and load.
 * Needs Go (Debian's golang-go) and a checkout of anishathalye/porcupine in
 * PORCUPINE_DIR; without them it says why and gives no figure.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PACKAGE_ROOT } from "../src/paths.js";

export type PorcupineTimes = { ok: true; commit: string; msByFile: Map<string, number>; verdictByFile: Map<string, string> } | { ok: false; why: string };

const DRIVER_CANDIDATES = [process.env.PORCUPINE_RUN, resolve(PACKAGE_ROOT, "../shared/porcupine/run.sh"), "/work/shared/porcupine/run.sh"];

function hasGo(): boolean {
  try {
    execFileSync("go", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function measurePorcupine(): PorcupineTimes {
  const dir = process.env.PORCUPINE_DIR;
  const driver = DRIVER_CANDIDATES.find((p) => p !== undefined && existsSync(p));
  if (driver === undefined) return { ok: false, why: "the driver ../shared/porcupine/run.sh is missing (set PORCUPINE_RUN)" };
  if (!hasGo()) return { ok: false, why: "go is not installed (apt-get install golang-go)" };
  if (dir === undefined || !existsSync(join(dir, "porcupine.go"))) {
    return { ok: false, why: "PORCUPINE_DIR does not name a checkout of anishathalye/porcupine" };
  }
  const out = mkdtempSync(join(tmpdir(), "tob-porcupine-"));
  try {
    const tsv = join(out, "times.tsv");
    execFileSync("bash", [driver, resolve(dir), tsv], { stdio: ["ignore", "ignore", "inherit"], timeout: 20 * 60_000 });
    const msByFile = new Map<string, number>();
    const verdictByFile = new Map<string, string>();
    for (const line of readFileSync(tsv, "utf8").split("\n")) {
      const [file, model, ms, verdict] = line.split("\t");
      if (ms === undefined) continue;
      msByFile.set(`${file}\t${model}`, Number(ms));
      verdictByFile.set(`${file}\t${model}`, verdict);
    }
    let commit = "unknown commit (not a git checkout)";
    try {
      commit = execFileSync("git", ["-C", dir, "log", "-1", "--format=%h %cs %s"], { encoding: "utf8" }).trim();
    } catch {
      // An exported tree has no history; the times still stand.
    }
    return { ok: true, commit, msByFile, verdictByFile };
  } catch (e) {
    return { ok: false, why: `the driver failed: ${(e as Error).message.split("\n")[0]}` };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
