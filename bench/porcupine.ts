/**
 * Porcupine's own times on the shared corpus, measured now by its driver
 * (../shared/porcupine/run.sh: median of 5 per file, parsing excluded), so
 * `npm run bench:check` compares with a figure from the same run and load.
 * Needs Go (Debian's golang-go) and a checkout of anishathalye/porcupine in
 * PORCUPINE_DIR; without them it says why and gives no figure. The driver
 * skips the Knossos files; porcupine-knossos/ times their cas-register
 * histories (120 of 122) the same way, handed over already paired.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CORPUS_DIR, readExpected } from "../checkers/linearizability/corpus.js";
import { readHistory } from "../src/history/formats.js";
import { pairOperations } from "../src/history/pair.js";
import { PACKAGE_ROOT } from "../src/paths.js";

export type PorcupineTimes =
  | { ok: true; commit: string; msByFile: Map<string, number>; verdictByFile: Map<string, string> }
  | { ok: false; why: string };

const DRIVER_CANDIDATES = [process.env.PORCUPINE_RUN, resolve(PACKAGE_ROOT, "../shared/porcupine/run.sh"), "/work/shared/porcupine/run.sh"];

function hasGo(): boolean {
  try {
    execFileSync("go", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Porcupine's stand-in for nil (its etcd model uses the same). */
const NIL = -1000000;
const UNKNOWN_RETURN = 1e12;
const asInt = (v: unknown) => (v === null || v === undefined ? NIL : Number(v));

/** The corpus's Knossos cas-register histories, paired, as the Go side reads them. */
async function knossosInput(path: string): Promise<void> {
  const files = [];
  for (const row of readExpected().filter((r) => r.model === "cas-register")) {
    const ops = pairOperations((await readHistory(resolve(CORPUS_DIR, row.file))).ops).map((op) => {
      const [a, b] = op.f === "cas" ? (op.value as unknown[]) : [op.f === "write" ? op.value : null, null];
      return {
        client: 0,
        f: op.f,
        a: asInt(a),
        b: asInt(b),
        out: asInt(op.output),
        known: op.known,
        call: op.invoke,
        return: op.known ? op.complete : UNKNOWN_RETURN,
      };
    });
    files.push({ file: row.file, initial: asInt(row.initial), ops });
  }
  writeFileSync(path, JSON.stringify(files));
}

function readTimes(tsv: string, msByFile: Map<string, number>, verdictByFile: Map<string, string>): void {
  for (const line of readFileSync(tsv, "utf8").split("\n")) {
    const [file, model, ms, verdict] = line.split("\t");
    if (ms === undefined) continue;
    msByFile.set(`${file}\t${model}`, Number(ms));
    verdictByFile.set(`${file}\t${model}`, verdict);
  }
}

export async function measurePorcupine(): Promise<PorcupineTimes> {
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
    readTimes(tsv, msByFile, verdictByFile);
    const knossosIn = join(out, "knossos.json");
    const knossosOut = join(out, "knossos.tsv");
    await knossosInput(knossosIn);
    copyFileSync(join(PACKAGE_ROOT, "bench/porcupine-knossos/knossos_timing_test.go"), join(dir, "knossos_timing_test.go"));
    execFileSync("go", ["test", "-run", "TestKnossosTiming", "-count=1", "-timeout", "900s", "."], {
      cwd: dir,
      env: { ...process.env, GOFLAGS: "-mod=mod", KNOSSOS_IN: knossosIn, KNOSSOS_OUT: knossosOut },
      stdio: ["ignore", "ignore", "inherit"],
    });
    readTimes(knossosOut, msByFile, verdictByFile);
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
