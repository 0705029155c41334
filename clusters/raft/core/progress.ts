import { assert } from "./assert.js";

/**
 * The leader's view of one follower. In `probe` it sends one AppendEntries and
 * waits for the answer (finding where the logs agree); in `replicate` it streams
 * appends optimistically, up to `maxInflightMsgs` unacknowledged at a time.
 */
export class Progress {
  matchIndex = 0;
  nextIndex: number;
  /** snapshot: an InstallSnapshot is out; nothing else is sent until it is answered (or stalls). */
  state: "probe" | "replicate" | "snapshot" = "probe";
  /** Probe only: an append is out and unanswered. */
  paused = false;
  /** Replicate only: the last index of each unacknowledged append, ascending. */
  inflight: number[] = [];
  /** Heard from since the last check-quorum round. */
  recentActive = false;
  /** The tick we last heard from it (null: not in this term), for the liveness check of membership changes. */
  heardTick: number | null = null;
  /** The tick when matchIndex last grew (or the window last opened): a replicate stream that stalls longer than an election timeout is re-probed. */
  progressTick: number;
  /** The highest commit index already sent to this follower. */
  commitSent = 0;
  /** The highest read round this follower answered in the current term. */
  readRoundAcked = 0;

  constructor(
    nextIndex: number,
    nowTick: number,
    private readonly maxInflightMsgs: number,
  ) {
    this.nextIndex = nextIndex;
    this.progressTick = nowTick;
  }

  heard(nowTick: number): void {
    this.recentActive = true;
    this.heardTick = nowTick;
  }

  heardWithin(nowTick: number, ticks: number): boolean {
    return this.heardTick !== null && nowTick - this.heardTick < ticks;
  }

  canSend(): boolean {
    if (this.state === "snapshot") return false;
    return this.state === "probe" ? !this.paused : this.inflight.length < this.maxInflightMsgs;
  }

  sentSnapshot(index: number, nowTick: number): void {
    this.state = "snapshot";
    this.inflight = [];
    this.paused = true;
    this.nextIndex = index + 1;
    this.progressTick = nowTick;
  }

  /** Records a sent append that ends at `lastIndex`. */
  sent(lastIndex: number, nowTick: number): void {
    if (this.state === "probe") {
      this.paused = true;
      return;
    }
    assert(this.inflight.length < this.maxInflightMsgs, "inflight window overflow");
    // The stall clock runs only while something is outstanding.
    if (this.inflight.length === 0) this.progressTick = nowTick;
    this.inflight.push(lastIndex);
    this.nextIndex = lastIndex + 1;
  }

  /** A successful append response up to `index`. Returns whether matchIndex grew. */
  acked(index: number, nowTick: number): boolean {
    let freed = 0;
    while (freed < this.inflight.length && (this.inflight[freed] as number) <= index) freed++;
    this.inflight.splice(0, freed);
    if (index <= this.matchIndex) return false;
    this.matchIndex = index;
    this.progressTick = nowTick;
    if (this.state !== "replicate") {
      this.state = "replicate";
      this.paused = false;
      this.nextIndex = index + 1;
    } else {
      this.nextIndex = Math.max(this.nextIndex, index + 1);
    }
    return true;
  }

  /** The follower's log ends before what it acknowledged: it is a new, empty member under a reused id; start over from its end. */
  lost(nextIndex: number): void {
    this.matchIndex = nextIndex - 1;
    this.becomeProbe(nextIndex);
  }

  becomeProbe(nextIndex: number): void {
    assert(nextIndex > this.matchIndex, `probe at ${nextIndex} not beyond match ${this.matchIndex}`);
    this.state = "probe";
    this.paused = false;
    this.inflight = [];
    this.nextIndex = nextIndex;
  }
}
