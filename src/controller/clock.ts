/**
 * The one clock of a run: monotonic nanoseconds since the run's start, from
 * process.hrtime.bigint(). Every op's `time` comes from here, so client and
 * nemesis ops order correctly against each other; wall-clock jumps cannot
 * reorder them.
 */
export class RunClock {
  private readonly startNs = process.hrtime.bigint();
  /** The wall-clock start, for test.json and the folder name only. */
  readonly startedAt = new Date();

  nowNs(): number {
    // 2^53 ns is about 104 days: a Number holds any run's offset exactly.
    return Number(process.hrtime.bigint() - this.startNs);
  }
}

export function sleepMs(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
