/**
 * The map of docs/ARCHITECTURE.md ("Layers"), enforced: every import of every
 * source file is resolved and checked against the rule of the folder it sits in.
 * Tests and fixtures are wiring, like the controller, and are not bound by it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../src/paths.js";

const ROOTS = ["src", "clusters", "workloads", "checkers", "bench"];
const IMPORT = /(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

interface Edge {
  /** The importing file, from the package root. */
  from: string;
  /** The imported file from the package root, or the package's name (`node:fs`, `commander`). */
  to: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(PACKAGE_ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== "fixtures" && entry.name !== "node_modules") out.push(...sourceFiles(path));
    } else if (/\.(ts|mjs)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      out.push(path);
    }
  }
  return out;
}

/** Comments may name a forbidden module; code may not. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
}

function importsOf(file: string): Edge[] {
  const source = stripComments(readFileSync(join(PACKAGE_ROOT, file), "utf8"));
  const edges: Edge[] = [];
  for (const match of source.matchAll(IMPORT)) {
    const spec = (match[1] ?? match[2]) as string;
    const to = spec.startsWith(".") ? relative(PACKAGE_ROOT, resolve(PACKAGE_ROOT, dirname(file), spec)).replace(/\.js$/, ".ts") : spec;
    edges.push({ from: file, to });
  }
  return edges;
}

const EDGES = ROOTS.flatMap(sourceFiles).flatMap(importsOf);

interface Rule {
  /** Who is bound: files under this prefix. */
  files: string;
  /** What they must not import (a prefix of the imported path), or a test on it. */
  forbids: (to: string) => boolean;
}

function under(...prefixes: string[]): (to: string) => boolean {
  return (to) => prefixes.some((p) => to === p || to.startsWith(p.endsWith("/") ? p : `${p}/`) || to === `${p}.ts`);
}

/** Offenders of one rule, as "from -> to". */
function offenders(rule: Rule): string[] {
  return EDGES.filter((e) => e.from.startsWith(rule.files) && rule.forbids(e.to)).map((e) => `${e.from} -> ${e.to}`);
}

/** The interface network backends implement (the proxy mesh, netns, and the Maelstrom router that is the nodes' network). */
const NETWORK_SEAM = "src/nemesis/network.ts";
/** Contracts a workload may speak: the Cluster seam, and the Maelstrom protocol that Maelstrom's workloads are written in. */
const SEAMS_FOR_WORKLOADS = ["clusters/cluster.ts", "clusters/api/maelstrom-protocol.ts"];

const RULES: Record<string, Rule> = {
  "the Raft core imports nothing outside core/ (not even node:)": {
    files: "clusters/raft/core/",
    forbids: (to) => !to.startsWith("clusters/raft/core/"),
  },
  "checkers import no cluster, controller, nemesis, CLI or exit codes": {
    files: "checkers/",
    forbids: under(
      "clusters",
      "workloads",
      "bench",
      "src/controller",
      "src/commands",
      "src/cli",
      "src/exit",
      "src/nemesis",
      "src/service",
      "src/report",
      "src/gate",
    ),
  },
  "workloads name no specific cluster (only the Cluster seam, and Maelstrom's protocol for its workloads)": {
    files: "workloads/",
    forbids: (to) => to.startsWith("clusters/") && !SEAMS_FOR_WORKLOADS.includes(to),
  },
  "clusters import no nemesis (but its Network seam), controller or CLI": {
    files: "clusters/",
    forbids: (to) => to !== NETWORK_SEAM && under("src/nemesis", "src/controller", "src/commands", "src/cli")(to),
  },
  "the benchmark drivers import no command": {
    files: "bench/",
    forbids: under("src/commands", "src/cli"),
  },
};

describe("layers (docs/ARCHITECTURE.md)", () => {
  it("reads every source file's imports", () => {
    expect(EDGES.length).toBeGreaterThan(500);
    // The resolver sees both kinds of edge, so a rule cannot pass by seeing none.
    expect(EDGES.some((e) => e.from === "checkers/compose.ts" && e.to === "checkers/verdict.ts")).toBe(true);
    expect(EDGES.some((e) => e.from === "src/cli.ts" && e.to === "commander")).toBe(true);
  });

  for (const [name, rule] of Object.entries(RULES)) {
    it(name, () => {
      expect(offenders(rule)).toEqual([]);
    });
  }

  it("a rule catches a breach (negative space)", () => {
    const rule = RULES["checkers import no cluster, controller, nemesis, CLI or exit codes"]!;
    expect(rule.forbids("src/exit.ts")).toBe(true);
    expect(rule.forbids("clusters/raft/adapter.ts")).toBe(true);
    expect(rule.forbids("src/history/op.ts")).toBe(false);
    expect(
      RULES["workloads name no specific cluster (only the Cluster seam, and Maelstrom's protocol for its workloads)"]!.forbids(
        "clusters/etcd/client.ts",
      ),
    ).toBe(true);
    expect(RULES["the Raft core imports nothing outside core/ (not even node:)"]!.forbids("node:fs")).toBe(true);
    const clusters = RULES["clusters import no nemesis (but its Network seam), controller or CLI"]!;
    expect(clusters.forbids("src/nemesis/netns/network.ts")).toBe(true);
    expect(clusters.forbids(NETWORK_SEAM)).toBe(false);
  });
});
