/** Counters for /metrics, rendered in the Prometheus text format (version 0.0.4). */

/** Check times in seconds; from a tiny history answered at once to a budget run out. */
const BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export type CheckOutcomeLabel = "valid" | "invalid" | "unknown" | "input_error" | "stopped";

export class Metrics {
  private readonly checks = new Map<CheckOutcomeLabel, number>();
  private readonly rejected = new Map<string, number>();
  private readonly bucketCounts = new Array<number>(BUCKETS_S.length).fill(0);
  private durationSum = 0;
  private durationCount = 0;

  checkFinished(outcome: CheckOutcomeLabel, durationS: number): void {
    this.checks.set(outcome, (this.checks.get(outcome) ?? 0) + 1);
    for (let i = 0; i < BUCKETS_S.length; i++) if (durationS <= BUCKETS_S[i]!) this.bucketCounts[i]!++;
    this.durationSum += durationS;
    this.durationCount++;
  }

  /** A request turned away before it became a check: queue_full, too_large, bad_request. */
  checkRejected(reason: string): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  render(gauges: { queueDepth: number; running: number; stored: number }): string {
    const lines: string[] = [];
    lines.push("# HELP tob_checks_served_total Checks finished, by outcome.", "# TYPE tob_checks_served_total counter");
    for (const [outcome, n] of this.checks) lines.push(`tob_checks_served_total{outcome="${outcome}"} ${n}`);
    lines.push(
      "# HELP tob_checks_rejected_total Check requests refused before queueing, by reason.",
      "# TYPE tob_checks_rejected_total counter",
    );
    for (const [reason, n] of this.rejected) lines.push(`tob_checks_rejected_total{reason="${reason}"} ${n}`);
    lines.push(
      "# HELP tob_check_queue_depth Checks waiting for a worker.",
      "# TYPE tob_check_queue_depth gauge",
      `tob_check_queue_depth ${gauges.queueDepth}`,
    );
    lines.push(
      "# HELP tob_checks_running Checks running in worker threads.",
      "# TYPE tob_checks_running gauge",
      `tob_checks_running ${gauges.running}`,
    );
    lines.push(
      "# HELP tob_checks_stored Checks kept in memory and on disk.",
      "# TYPE tob_checks_stored gauge",
      `tob_checks_stored ${gauges.stored}`,
    );
    lines.push("# HELP tob_check_duration_seconds Time a check spent in its worker.", "# TYPE tob_check_duration_seconds histogram");
    BUCKETS_S.forEach((le, i) => lines.push(`tob_check_duration_seconds_bucket{le="${le}"} ${this.bucketCounts[i]}`));
    lines.push(`tob_check_duration_seconds_bucket{le="+Inf"} ${this.durationCount}`);
    lines.push(`tob_check_duration_seconds_sum ${this.durationSum}`, `tob_check_duration_seconds_count ${this.durationCount}`);
    return lines.join("\n") + "\n";
  }
}
