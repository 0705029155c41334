import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type CheckRecord, isCheckId, isFinished } from "./record.js";

/**
 * The checks the service knows: all in memory, finished ones also on disk
 * (`<id>.json`, `<id>.timeline.html`), so that they survive a restart. At most
 * `max` are kept; the oldest finished ones go first.
 */
export class CheckStore {
  /** Insertion order is age order: ids are added as they are made. */
  private readonly records = new Map<string, CheckRecord>();

  constructor(
    private readonly dir: string,
    private readonly max: number,
  ) {
    if (max < 1) throw new Error("store: max must be >= 1");
  }

  get size(): number {
    return this.records.size;
  }

  /** Reads the finished checks of earlier runs of the service; unreadable files are skipped. */
  async load(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const ids = (await readdir(this.dir))
      .filter((name) => name.endsWith(".json"))
      .map((name) => name.slice(0, -".json".length))
      .filter(isCheckId)
      .sort();
    // Only the newest `max` are kept; reading the rest would be wasted.
    for (const id of ids.slice(0, Math.max(0, ids.length - this.max))) await this.removeFiles(id);
    for (const id of ids.slice(-this.max)) {
      try {
        const record = JSON.parse(await readFile(this.recordPath(id), "utf8")) as CheckRecord;
        if (record.id === id && isFinished(record)) this.records.set(id, record);
      } catch {
        await this.removeFiles(id); // half-written by a crash; the rename below makes this rare
      }
    }
  }

  get(id: string): CheckRecord | undefined {
    return this.records.get(id);
  }

  /** Holds an unfinished check; only persist() counts against the maximum, so refused bodies never evict results. */
  add(record: CheckRecord): void {
    this.records.set(record.id, record);
  }

  /** Forgets a check that was never worth keeping (refused input answered at once). */
  async drop(id: string): Promise<void> {
    this.records.delete(id);
    await this.removeFiles(id);
  }

  /** Writes a finished check, timeline first, each through a rename so a reader never sees half a file. */
  async persist(record: CheckRecord, timelineHtml?: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    if (timelineHtml !== undefined) await writeAtomic(this.timelinePath(record.id), timelineHtml);
    await writeAtomic(this.recordPath(record.id), JSON.stringify(record));
    this.evict();
  }

  timelinePath(id: string): string {
    return join(this.dir, `${id}.timeline.html`);
  }

  private recordPath(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  /** Keeps at most `max` finished checks, oldest out first; unfinished ones are capped by the pool's bounds instead. */
  private evict(): void {
    let excess = -this.max;
    for (const record of this.records.values()) if (isFinished(record)) excess++;
    for (const [id, record] of this.records) {
      if (excess <= 0) break;
      if (!isFinished(record)) continue;
      this.records.delete(id);
      excess--;
      // A file left behind (e.g. a read-only disk) is trimmed by the next load().
      this.removeFiles(id).catch(() => undefined);
    }
  }

  private async removeFiles(id: string): Promise<void> {
    await rm(this.recordPath(id), { force: true });
    await rm(this.timelinePath(id), { force: true });
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
