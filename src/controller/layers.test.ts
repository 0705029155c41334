/**
 * The layer rule of the registry (issue 11): workloads and the controller
 * name no specific kind of cluster. They import no kind's folder
 * (clusters/<kind>/; the shared clusters/api and clusters/process are no kind)
 * and compare nothing against a kind's name; what differs between kinds is
 * declared by the kind (clusters/kind.ts) and found through the registry.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { KIND_NAMES } from "../../clusters/index.js";
import { PACKAGE_ROOT } from "../paths.js";

const SHARED = new Set(["api", "process"]);
const KIND_FOLDERS = readdirSync(join(PACKAGE_ROOT, "clusters")).filter(
  (d) => statSync(join(PACKAGE_ROOT, "clusters", d)).isDirectory() && !SHARED.has(d),
);
const KINDS = [...new Set([...KIND_NAMES, ...KIND_FOLDERS])];

/**
 * Known debts, each with its reason; any other file breaking the rule fails.
 * None now: a kind's specifics (planted bugs and their fault classes, stale
 * read modes, a harness for the user's program) are declared by the kind and
 * found through the registry.
 */
const DEBTS: Record<string, string> = {};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [path] : [];
  });
}

function violations(text: string): string[] {
  const found: string[] = [];
  for (const kind of KINDS) {
    if (new RegExp(`clusters/${kind}/`).test(text)) found.push(`imports clusters/${kind}/`);
    if (new RegExp(`[=!]==?\\s*["'\`]${kind}["'\`]|["'\`]${kind}["'\`]\\s*[=!]==?`).test(text)) found.push(`compares against "${kind}"`);
  }
  return found;
}

describe("workloads and the controller name no specific kind of cluster", () => {
  const files = [...sources(join(PACKAGE_ROOT, "workloads")), ...sources(join(PACKAGE_ROOT, "src", "controller"))];

  it("finds the files it judges, and the kinds it looks for", () => {
    expect(files.length).toBeGreaterThan(20);
    expect(KINDS).toEqual(expect.arrayContaining(["raft", "etcd", "command"]));
  });

  it("holds for every file but the listed debts", () => {
    const broken = files
      .map((f) => ({ file: relative(PACKAGE_ROOT, f), why: violations(readFileSync(f, "utf8")) }))
      .filter((v) => v.why.length > 0 && !Object.keys(DEBTS).some((d) => v.file === d || v.file.startsWith(`${d}/`)));
    expect(broken).toEqual([]);
  });

  it("would catch a controller that branched on a kind or imported one", () => {
    const text = 'import { EtcdCluster } from "../../clusters/etcd/cluster.js";\nif (spec.cluster === "etcd") {}';
    expect(violations(text)).toEqual(["imports clusters/etcd/", 'compares against "etcd"']);
    expect(violations('const kind = await kindOf(spec); if (kind.features.includes("txn")) {}')).toEqual([]);
  });
});
