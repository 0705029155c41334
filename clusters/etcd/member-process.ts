import { appendFileSync, readFileSync } from "node:fs";
import { execa, type ResultPromise } from "execa";

const LOG_TAIL_LINES = 15;

/**
 * One running etcd process, with its output appended to the member's log. The
 * pid is the etcd process itself (also under `ip netns exec`, which execs in
 * place), so signals reach etcd directly.
 */
export class MemberProcess {
  readonly pid: number;
  /** Resolves when the process has ended (and been reaped). */
  readonly exited: Promise<void>;
  private running = true;

  private constructor(subprocess: ResultPromise, pid: number) {
    this.pid = pid;
    this.exited = subprocess.then(() => {
      this.running = false;
    });
  }

  static async spawn(file: string, args: readonly string[], logPath: string): Promise<MemberProcess> {
    appendFileSync(logPath, `--- tob: start ${new Date().toISOString()}: ${file} ${args.join(" ")}\n`);
    const output = { file: logPath, append: true } as const;
    // cleanup: execa also SIGTERMs the child if the controller exits without stop().
    const subprocess = execa(file, args, { stdin: "ignore", stdout: output, stderr: output, reject: false, cleanup: true });
    if (subprocess.pid === undefined) {
      const result = await subprocess;
      throw new Error(`etcd: could not spawn ${file}: ${result.shortMessage}`);
    }
    return new MemberProcess(subprocess, subprocess.pid);
  }

  get alive(): boolean {
    return this.running;
  }

  signal(signal: "SIGKILL" | "SIGSTOP" | "SIGCONT"): void {
    if (!this.running) return;
    // process.kill rather than execa's kill: plain delivery, no force-kill timers.
    try {
      process.kill(this.pid, signal);
    } catch (error) {
      // ESRCH: it died on its own and is not reaped yet; `exited` will settle.
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  }

  async kill(): Promise<void> {
    this.signal("SIGKILL");
    await this.exited;
  }
}

/** The last lines of a member's log, for error messages about a failed start. */
export function logTail(logPath: string): string {
  try {
    return readFileSync(logPath, "utf8").trimEnd().split("\n").slice(-LOG_TAIL_LINES).join("\n");
  } catch (error) {
    return `(no log: ${(error as Error).message})`;
  }
}
