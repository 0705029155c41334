/**
 * The live progress line of a run: elapsed and remaining time, ops/s, ok, fail
 * and info counts, the faults in force, the leader. Redrawn in place on a TTY
 * (stderr) by log-update, which also handles wrapping and erasing; silent
 * otherwise, so logs and CI output carry only the summary.
 */
import { createLogUpdate } from "log-update";
import { NEMESIS, type Op } from "../history/op.js";
import { NS_PER_S } from "../history/op.js";
import type { RunClock } from "./clock.js";

const REDRAW_MS = 500;
/** ops/s is measured over this trailing window. */
const RATE_WINDOW_S = 2;

export interface ProgressSources {
  clock: RunClock;
  totalS: number;
  faults: () => string[];
  leader: () => string | null;
}

export class Progress {
  private ok = 0;
  private fail = 0;
  private info = 0;
  /** Completion times in the trailing window, oldest first; trimmed on every redraw. */
  private recentNs: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Drawn only on a terminal. */
  readonly live = process.stderr.isTTY === true;
  private readonly render = createLogUpdate(process.stderr);

  constructor(private readonly src: ProgressSources) {}

  onOp(op: Op): void {
    if (op.process === NEMESIS || op.type === "invoke") return;
    this[op.type]++;
    if (this.live) this.recentNs.push(op.time);
  }

  start(): void {
    if (!this.live) return;
    this.timer = setInterval(() => this.draw(), REDRAW_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.live) this.render.clear();
  }

  private draw(): void {
    const nowNs = this.src.clock.nowNs();
    const cutoff = nowNs - RATE_WINDOW_S * NS_PER_S;
    let drop = 0;
    while (drop < this.recentNs.length && (this.recentNs[drop] as number) < cutoff) drop++;
    this.recentNs = this.recentNs.slice(drop);
    const elapsedS = Math.floor(nowNs / NS_PER_S);
    const leftS = Math.max(0, Math.ceil(this.src.totalS - nowNs / NS_PER_S));
    const faults = this.src.faults();
    const line =
      `${elapsedS}s (${leftS}s left)  ${Math.round(this.recentNs.length / RATE_WINDOW_S)} ops/s  ` +
      `ok ${this.ok} fail ${this.fail} info ${this.info}  ` +
      `leader ${this.src.leader() ?? "-"}  faults: ${faults.length ? faults.join("; ") : "none"}`;
    this.render(line.slice(0, (process.stderr.columns ?? 120) - 1));
  }
}
