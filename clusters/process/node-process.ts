/**
 * One node's OS process, for every kind of cluster: spawned with execa, its
 * output appended to nodes/<id>.log, stopped with SIGTERM and then SIGKILL
 * after a grace period, and never outliving the controller.
 *
 * Dying with the parent takes three layers, because no single one covers every
 * way a controller ends: an exit hook SIGKILLs live nodes on exit and on
 * SIGINT/SIGTERM/SIGHUP; execa's `cleanup` does the same for its own exits; and
 * on Linux `setpriv --pdeathsig SIGKILL` has the kernel kill the node when the
 * controller itself is SIGKILLed. setpriv (and `ip netns exec`) exec in place,
 * so the pid we hold is the node's own and signals reach it directly.
 */
import { appendFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { execa, type ResultPromise } from "execa";
import { onProcessExit } from "./exit-hooks.js";

export interface Command {
  file: string;
  args: readonly string[];
  env?: Readonly<Record<string, string>>;
  cwd?: string;
}

export interface SpawnOptions {
  /** Node id, for messages. */
  id: string;
  command: Command;
  /** Output is appended here (nodes/<id>.log in a run folder). */
  logFile: string;
  /** Wraps the command, e.g. to run it inside a network namespace; applied inside the death-signal wrapper. */
  wrap?: (command: Command) => Command;
  /** Signal that asks the node to stop (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
  /** After the stop signal, how long before SIGKILL. */
  graceMs?: number;
}

export interface Exit {
  code: number | null;
  signal: string | null;
}

const GRACE_MS_DEFAULT = 3_000;
const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p)) ?? null;

/** Every node process alive in this controller, for the exit hook. */
const live = new Set<NodeProcess>();
let unregisterHook: (() => void) | null = null;

export class NodeProcess {
  readonly id: string;
  readonly pid: number;
  readonly logFile: string;
  /** Settles once the process has ended and been reaped; never rejects. */
  readonly exited: Promise<Exit>;
  private running = true;
  private exit: Exit | null = null;

  private constructor(opts: SpawnOptions, subprocess: ResultPromise, pid: number) {
    this.id = opts.id;
    this.pid = pid;
    this.logFile = opts.logFile;
    this.stopSignal = opts.stopSignal ?? "SIGTERM";
    this.graceMs = opts.graceMs ?? GRACE_MS_DEFAULT;
    this.exited = subprocess.then(
      (r) => this.ended({ code: r.exitCode ?? null, signal: r.signal ?? null }),
      () => this.ended({ code: null, signal: null }),
    );
  }

  private readonly stopSignal: NodeJS.Signals;
  private readonly graceMs: number;
  /** Set once tob itself ends the process (kill, stop): any other exit is a crash. */
  private ending = false;

  /** Starts the node; throws (naming it) when the OS cannot run the command at all. */
  static async spawn(opts: SpawnOptions): Promise<NodeProcess> {
    mkdirSync(dirname(opts.logFile), { recursive: true });
    const inner = opts.wrap ? opts.wrap(opts.command) : opts.command;
    const command = SETPRIV ? { ...inner, file: SETPRIV, args: ["--pdeathsig", "SIGKILL", "--", inner.file, ...inner.args] } : inner;
    appendFileSync(opts.logFile, `--- tob: start ${new Date().toISOString()}: ${[inner.file, ...inner.args].join(" ")}\n`);
    const output = { file: opts.logFile, append: true } as const;
    const subprocess = execa(command.file, command.args, {
      cwd: command.cwd,
      env: command.env ? { ...process.env, ...command.env } : undefined,
      // A pipe the node may ignore; our node programs exit when it closes.
      stdin: "pipe",
      stdout: output,
      stderr: output,
      reject: false,
      cleanup: true,
      buffer: false,
    });
    if (subprocess.pid === undefined) {
      const result = await subprocess;
      throw new Error(`${opts.id}: could not start ${inner.file}: ${result.shortMessage}`);
    }
    const proc = new NodeProcess(opts, subprocess, subprocess.pid);
    live.add(proc);
    unregisterHook ??= onProcessExit(() => {
      for (const p of live) p.signal("SIGKILL");
    });
    return proc;
  }

  get alive(): boolean {
    return this.running;
  }

  /** How it ended, once it has. */
  get exitStatus(): Exit | null {
    return this.exit;
  }

  /** Plain delivery (no force-kill timers); a process that already ended is left alone. */
  signal(signal: NodeJS.Signals): void {
    if (!this.running) return;
    try {
      process.kill(this.pid, signal);
    } catch (error) {
      // ESRCH: it died on its own and is not reaped yet; `exited` will settle.
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  }

  /** Calls `listener` if the process ends without tob ending it: a crash, which a run records as a fault. */
  onCrash(listener: (exit: Exit) => void): void {
    void this.exited.then((exit) => {
      if (!this.ending) listener(exit);
    });
  }

  /** SIGKILL, then wait until it is reaped. */
  async kill(): Promise<void> {
    this.ending = true;
    this.signal("SIGKILL");
    await this.exited;
  }

  /** The stop signal (a paused node is continued so it can act on it), then SIGKILL after the grace period. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.ending = true;
    this.signal(this.stopSignal);
    this.signal("SIGCONT");
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.graceMs)));
    await Promise.race([this.exited, grace]);
    clearTimeout(timer);
    await this.kill();
  }

  private ended(exit: Exit): Exit {
    this.running = false;
    this.exit = exit;
    live.delete(this);
    if (live.size === 0) {
      unregisterHook?.();
      unregisterHook = null;
    }
    return exit;
  }
}

/** "exited with code 3" / "was killed by SIGKILL", for messages. */
export function describeExit(exit: Exit | null): string {
  if (!exit) return "is running";
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.code}`;
}
