import { execa } from "execa";

export const INSTALL_HINT = "install Debian's etcd-server: apt-get install etcd-server";

/** The version line of the etcd binary ("3.4.23"), or a clear error saying how to install it. */
export async function etcdVersion(binary: string): Promise<string> {
  const result = await execa(binary, ["--version"], { reject: false, stdin: "ignore" });
  if (result.failed) {
    const missing = (result.cause as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
    const why = missing ? `"${binary}" was not found on PATH` : `"${binary} --version" failed: ${result.stderr || result.shortMessage}`;
    throw new Error(`etcd: ${why}; ${INSTALL_HINT}`);
  }
  const match = /etcd Version: (\S+)/.exec(result.stdout);
  if (!match) throw new Error(`etcd: "${binary} --version" printed no version (got: ${result.stdout.slice(0, 200)})`);
  return match[1]!;
}
