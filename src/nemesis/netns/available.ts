import { randomId } from "./plan.js";
import { run, runTolerant } from "./shell.js";

export interface Availability {
  ok: boolean;
  reason?: string;
}

/**
 * Whether this machine can run the netns backend: Linux, root, iproute2 and
 * nftables installed, and the kernel lets us create a namespace and a table in
 * it. The probe creates and removes one namespace, because being uid 0 inside a
 * container does not guarantee CAP_SYS_ADMIN.
 */
export async function netnsAvailable(): Promise<Availability> {
  if (process.platform !== "linux") return { ok: false, reason: "network namespaces need Linux" };
  if (process.getuid?.() !== 0) return { ok: false, reason: "network namespaces need root (uid 0)" };
  if (!(await runTolerant("ip", ["-V"]))) return { ok: false, reason: "`ip` not found: apt-get install iproute2" };
  if (!(await runTolerant("nft", ["--version"]))) return { ok: false, reason: "`nft` not found: apt-get install nftables" };
  const probe = `tobprobe-${process.pid}-${randomId()}`;
  try {
    await run("ip", ["netns", "add", probe]);
    await run("ip", ["netns", "exec", probe, "nft", "add", "table", "inet", "probe"]);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `cannot create a namespace with an nftables table: ${(error as Error).message}` };
  } finally {
    await runTolerant("ip", ["netns", "del", probe]);
  }
}

/**
 * Whether the kernel has tc netem (module sch_netem), which the delay fault
 * needs inside the namespaces. Probed on a throwaway namespace's loopback.
 */
export async function netemAvailable(): Promise<Availability> {
  const netns = await netnsAvailable();
  if (!netns.ok) return netns;
  const probe = `tobprobe-${process.pid}-${randomId()}`;
  try {
    await run("ip", ["netns", "add", probe]);
    await run("ip", ["netns", "exec", probe, "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms"]);
    return { ok: true };
  } catch (error) {
    const message = (error as Error).message;
    if (/qdisc kind is unknown/i.test(message)) return { ok: false, reason: NETEM_MISSING };
    return { ok: false, reason: `tc netem failed: ${message}` };
  } finally {
    await runTolerant("ip", ["netns", "del", probe]);
  }
}

export const NETEM_MISSING = "this kernel has no tc netem (module sch_netem), so netns cannot inject delay";
