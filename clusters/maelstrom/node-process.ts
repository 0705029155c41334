/**
 * One Maelstrom node as an OS process: JSON lines on stdin/stdout, its stderr
 * (its log) appended to nodes/<id>.log. Signals are the faults: SIGKILL for a
 * crash, SIGSTOP/SIGCONT for a pause. A node killed and started again is a new
 * process that starts empty, as in Maelstrom.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";

export interface NodeProcessOptions {
  id: string;
  bin: string;
  args: readonly string[];
  logPath: string;
  /** Also copy the node's stderr to ours, each line prefixed with the node's id. */
  logStderr: boolean;
  /** Called with every complete stdout line. */
  onLine: (line: string) => void;
  /** Called once when the process ends, whoever ended it. */
  onExit: (code: number | null, signal: NodeJS.Signals | null) => void;
}

/** A line longer than this is cut off and reported as bad: the buffer stays bounded. */
const LINE_BYTES_MAX = 16 * 1024 * 1024;
const STDERR_TAIL_CHARS = 2_000;

export class NodeProcess {
  private readonly child: ChildProcess;
  private readonly log: WriteStream;
  private partial = "";
  private stderrTail = "";
  private exited = false;
  private readonly exitPromise: Promise<void>;

  constructor(private readonly o: NodeProcessOptions) {
    this.log = createWriteStream(o.logPath, { flags: "a" });
    this.child = spawn(o.bin, [...o.args], { stdio: ["pipe", "pipe", "pipe"] });
    this.exitPromise = new Promise((resolve) => {
      this.child.once("error", (err) => {
        // spawn failed (ENOENT, EACCES): there will be no exit event.
        this.logLine(`[tob] cannot start ${o.bin}: ${err.message}`);
        this.finish(127, null);
        resolve();
      });
      this.child.once("exit", (code, signal) => {
        this.finish(code, signal);
        resolve();
      });
    });
    this.child.stdin?.on("error", () => {
      // EPIPE: the node died with messages in flight. The exit event reports it.
    });
    this.child.stdout?.setEncoding("utf8").on("data", (chunk: string) => this.onStdout(chunk));
    this.child.stderr?.setEncoding("utf8").on("data", (chunk: string) => this.onStderr(chunk));
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** What the node last wrote on stderr, for error messages. */
  stderrLastChars(): string {
    return this.stderrTail;
  }

  /** Writes one message line; false when the node is gone. */
  send(line: string): boolean {
    if (this.exited || !this.child.stdin?.writable) return false;
    this.child.stdin.write(line + "\n");
    return true;
  }

  signal(sig: NodeJS.Signals): void {
    if (!this.exited) this.child.kill(sig);
  }

  /** SIGKILL, and wait until the process is really gone. */
  async kill(): Promise<void> {
    // A stopped process dies of SIGKILL too; no SIGCONT needed.
    this.signal("SIGKILL");
    await this.exitPromise;
  }

  exited$(): Promise<void> {
    return this.exitPromise;
  }

  logLine(text: string): void {
    this.log.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  private finish(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exited) return;
    this.exited = true;
    if (this.partial !== "") this.flushLine(this.partial);
    this.partial = "";
    this.logLine(`[tob] process exited (${signal ? `signal ${signal}` : `code ${code}`})`);
    this.log.end();
    this.o.onExit(code, signal);
  }

  private onStdout(chunk: string): void {
    let start = 0;
    for (let nl = chunk.indexOf("\n"); nl !== -1; nl = chunk.indexOf("\n", start)) {
      const piece = chunk.slice(start, nl);
      const line = this.partial === "" ? piece : this.partial + piece;
      this.partial = "";
      this.flushLine(line);
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.partial += chunk.slice(start);
      if (this.partial.length > LINE_BYTES_MAX) {
        this.flushLine(this.partial);
        this.partial = "";
      }
    }
  }

  private flushLine(line: string): void {
    const trimmed = line.endsWith("\r") ? line.slice(0, -1) : line;
    if (trimmed.trim() !== "") this.o.onLine(trimmed);
  }

  private onStderr(chunk: string): void {
    this.log.write(chunk);
    this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    if (this.o.logStderr) {
      const prefixed = chunk.replace(/\n(?!$)/g, `\n${this.o.id}: `);
      process.stderr.write(`${this.o.id}: ${prefixed}${prefixed.endsWith("\n") ? "" : "\n"}`);
    }
  }
}
