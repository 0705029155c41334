/**
 * `--cluster ./adapter.mjs` as a user meets it: tob packed with `npm pack`,
 * installed from the tarball into a folder outside this repository, a module
 * there importing defineCluster from "tob" (its types too), and the installed
 * CLI running it under faults. Also: a module that exports no kind is an
 * input error naming the file.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../src/paths.js";
import { freshOut, processesMentioning, removeOutputs, tobRun } from "../test/run/support.js";

const TSC = join(PACKAGE_ROOT, "node_modules", "typescript", "bin", "tsc");

describe("a cluster module outside the repository", () => {
  const home = mkdtempSync(join(tmpdir(), "tob-adapter-"));

  beforeAll(async () => {
    const pack = await execa("npm", ["pack", "--pack-destination", home, "--loglevel=error"], { cwd: PACKAGE_ROOT, timeout: 120_000 });
    const tarball = pack.stdout.trim().split("\n").pop()!;
    writeFileSync(join(home, "package.json"), JSON.stringify({ name: "my-system-tests", private: true, type: "module" }));
    // From the tarball, as a user would; the npm cache serves the dependencies when it has them.
    await execa(
      "npm",
      ["install", join(home, tarball), "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
      { cwd: home, timeout: 180_000 },
    );
    cpSync(join(PACKAGE_ROOT, "examples", "adapter", "raft-fetch.mjs"), join(home, "raft-fetch.mjs"));
  }, 240_000);

  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
    removeOutputs();
  });

  it("is loaded by the installed CLI and run under kill: valid, nothing left running", async () => {
    const out = join(home, "results");
    const r = await execa(
      join(home, "node_modules", ".bin", "tob"),
      [
        "run",
        "--cluster",
        "./raft-fetch.mjs",
        "--workload",
        "register",
        "--nemesis",
        "kill",
        "--time",
        "4",
        "--recovery",
        "1",
        "--nemesis-interval",
        "1.5",
        "--nemesis-duration",
        "1",
        "--seed",
        "1",
        "--out",
        out,
      ],
      { cwd: home, reject: false, timeout: 120_000 },
    );
    expect(r.stdout).toContain("raft-fetch.mjs, 3 nodes, nemesis kill");
    expect(r.stdout).toContain("verdict: VALID");
    expect(r.exitCode).toBe(0);
    const runs = readdirSync(join(out, "register"));
    expect(runs.length).toBe(1);
    const test = JSON.parse(readFileSync(join(out, "register", runs[0]!, "test.json"), "utf8"));
    expect(test.versions["raft-fetch"]).toBe("example-1");
    expect(await processesMentioning(out)).toEqual([]);
  }, 150_000);

  it("gets defineCluster's types from the package: a correct module type-checks, a wrong feature does not", async () => {
    mkdirSync(join(home, "typed"), { recursive: true });
    const tsconfig = {
      compilerOptions: {
        module: "nodenext",
        moduleResolution: "nodenext",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ["node"],
        typeRoots: [join(PACKAGE_ROOT, "node_modules", "@types")],
      },
    };
    writeFileSync(join(home, "typed", "tsconfig.json"), JSON.stringify(tsconfig));
    writeFileSync(join(home, "typed", "package.json"), JSON.stringify({ type: "module" }));
    const module = (features: string) => `import { defineCluster, type ClusterNode, type Outcome } from "tob";
export default defineCluster({
  name: "typed",
  features: [${features}],
  node: (n: ClusterNode) => ["my-node", "--port", String(n.httpPort), "--data", n.dataDir],
  client: () => ({ get: async (key: string): Promise<Outcome<string | null>> => ({ type: "ok", value: key }) }),
});
`;
    writeFileSync(join(home, "typed", "good.ts"), module(`"get"`));
    const good = await execa(process.execPath, [TSC, "-p", join(home, "typed")], { reject: false, timeout: 50_000 });
    expect(good.stdout + good.stderr).toBe("");
    expect(good.exitCode).toBe(0);
    writeFileSync(join(home, "typed", "bad.ts"), module(`"get", "teleport"`));
    const bad = await execa(process.execPath, [TSC, "-p", join(home, "typed")], { reject: false, timeout: 50_000 });
    expect(bad.stdout).toMatch(/bad\.ts.*"teleport".*not assignable/);
  }, 60_000);

  it("a module that exports no cluster kind: exit 2, the file named, nothing started", async () => {
    const file = join(home, "not-a-kind.mjs");
    writeFileSync(file, "export const answer = 42;\n");
    const out = freshOut();
    const r = await tobRun(["--cluster", file, "--time", "1"], out);
    expect(r.stderr).toContain(`--cluster ${file}: the module exports no cluster kind (exports: answer)`);
    expect(r.exitCode).toBe(2);
    expect(await processesMentioning(out)).toEqual([]);
  });
});
