/**
 * `tob conform --cluster ...`: which client features a cluster's nodes
 * implement correctly, from a short run without faults. Prints a table of
 * feature → ok / missing / wrong (with the request and the answer for each
 * wrong one) and writes conform.json beside the nodes' logs. Exit 0 when every
 * declared feature is ok, 1 when one is missing or any answer is wrong.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import type { Cluster } from "../../clusters/cluster.js";
import { KindError } from "../../clusters/kind.js";
import { checkKind, kindOf } from "../controller/clusters.js";
import { conform, ExchangeLog, type FeatureResult } from "../controller/conform.js";
import { nodeIds, type RunSpec, SPEC_MAX } from "../controller/spec.js";
import { createRunDir } from "../controller/store.js";
import { logTails } from "../controller/test-run.js";
import { EnvironmentError, EXIT_INVALID, EXIT_VALID } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { action } from "./action.js";
import { integerIn, parsedOption, positiveNumber } from "./flags.js";
import { addClusterOptions, type ClusterFlags, clusterSpec } from "./cluster-flags.js";

interface ConformFlags extends ClusterFlags {
  nodes: number;
  out: string;
  opTimeout: number;
}

async function conformCommand(flags: ConformFlags): Promise<number> {
  const { nodes, opTimeout: opTimeoutMs } = flags;
  const spec = { ...clusterSpec(flags), workload: "conform", nemesis: [], net: "proxy", bugs: [] } as unknown as RunSpec;
  const kind = await kindOf(spec);
  const reads = checkKind(kind, spec, []);
  const dir = createRunDir(resolve(flags.out), "conform", new Date());
  const log = new ExchangeLog();
  const cluster: Cluster = kind.create({
    dir,
    ids: nodeIds(nodes),
    reads,
    requestTimeoutMs: opTimeoutMs,
    wiring: { backend: "direct" },
    bugs: [],
    trace: log.record,
  });
  process.stderr.write(`tob conform: starting ${nodes} ${kind.name} node(s) in ${dir}\n`);
  try {
    try {
      await cluster.start();
    } catch (err) {
      const message = String((err as Error)?.message ?? err).split("\n")[0];
      const Failure = err instanceof KindError ? InputError : EnvironmentError;
      throw new Failure(`the ${kind.name} cluster did not start: ${message}\n${logTails(dir)}`);
    }
    const results = await conform(kind, cluster, log);
    writeFileSync(
      join(dir, "conform.json"),
      JSON.stringify({ cluster: spec.cluster, kind: kind.name, nodes, reads, results }, null, 2) + "\n",
    );
    process.stdout.write(table(kind.name, results) + `\nwrote ${join(dir, "conform.json")}\n`);
    return results.some((r) => r.verdict === "wrong" || (r.declared && r.verdict !== "ok")) ? EXIT_INVALID : EXIT_VALID;
  } finally {
    await cluster.stop();
  }
}

function table(kind: string, results: FeatureResult[]): string {
  const lines = [`${kind}`, `  ${"feature".padEnd(12)} ${"declared".padEnd(9)} result`];
  for (const r of results) {
    const verdict = r.verdict === "ok" ? "ok" : r.verdict.toUpperCase();
    lines.push(`  ${r.feature.padEnd(12)} ${(r.declared ? "yes" : "no").padEnd(9)} ${verdict.padEnd(8)} ${r.why ?? ""}`.trimEnd());
    for (const line of r.evidence ?? []) lines.push(`      ${line}`);
  }
  const ok = results.filter((r) => r.verdict === "ok").length;
  const wrong = results.filter((r) => r.verdict === "wrong").length;
  const missingDeclared = results.filter((r) => r.declared && r.verdict === "missing").map((r) => r.feature);
  lines.push(
    `${ok} ok, ${wrong} wrong, ${results.length - ok - wrong} missing${missingDeclared.length ? ` (declared but missing: ${missingDeclared.join(", ")})` : ""}`,
  );
  return lines.join("\n");
}

export function registerConform(program: Command): void {
  const command = program
    .command("conform")
    .description(
      "which client features a cluster's nodes implement correctly: a short run without faults; exit 1 when an answer is wrong or a declared feature missing",
    );
  addClusterOptions(command)
    .addOption(parsedOption("--nodes <n>", "cluster size", integerIn(1, SPEC_MAX.nodes), 3))
    .addOption(
      parsedOption("--op-timeout <ms>", "a call unanswered this long is wrong (no answer)", positiveNumber(SPEC_MAX.opTimeoutMs), 5000),
    )
    .option("--out <dir>", "results folder (the nodes' logs and conform.json go to OUT/conform/<time>)", "results")
    .action(action(conformCommand));
}
