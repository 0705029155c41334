import { basename, dirname } from "node:path";
import type { FileIo } from "../node/file-io.js";

/**
 * A simulated file system behind the node's FileIo seam, for running the real
 * write-ahead log and snapshot store under disk faults. Each file has what the
 * page cache holds and what is durable; a crash keeps the durable bytes plus a
 * seeded choice of the unsynced sectors (a torn write), and forgets files whose
 * directory entry was never synced. `corruptSector` damages durable bytes, and
 * `cutPowerAtNextSync` makes the next sync fail as the power goes, so the
 * caller dies with its write in the cache only.
 */

export const SIM_SECTOR_BYTES = 512;

interface SimFile {
  cached: Buffer;
  durable: Buffer;
}

export class SimFiles implements FileIo {
  private readonly files = new Map<string, SimFile>();
  /** Paths whose directory entry is durable. */
  private readonly named = new Set<string>();
  private readonly fds = new Map<number, string>();
  private nextFd = 3;
  private powerCut = false;

  constructor(private readonly rng: () => number) {}

  mkdirp(): void {}

  list(dir: string): string[] {
    return [...this.files.keys()].filter((p) => dirname(p) === dir).map((p) => basename(p));
  }

  readFile(path: string): Buffer {
    const f = this.files.get(path);
    if (!f) throw new Error(`ENOENT: ${path}`);
    return Buffer.from(f.cached);
  }

  open(path: string): number {
    if (!this.files.has(path)) this.files.set(path, { cached: Buffer.alloc(0), durable: Buffer.alloc(0) });
    const fd = this.nextFd++;
    this.fds.set(fd, path);
    return fd;
  }

  size(fd: number): number {
    return this.file(fd).cached.length;
  }

  writeAt(fd: number, buf: Buffer, position: number): void {
    const f = this.file(fd);
    const end = position + buf.length;
    if (end > f.cached.length) f.cached = Buffer.concat([f.cached, Buffer.alloc(end - f.cached.length)]);
    buf.copy(f.cached, position);
  }

  async writeAtAsync(fd: number, buf: Buffer, position: number): Promise<void> {
    this.writeAt(fd, buf, position);
  }

  datasync(fd: number): void {
    const f = this.file(fd);
    if (this.powerCut) throw new Error("power lost during fdatasync (simulated)");
    f.durable = Buffer.from(f.cached);
  }

  async datasyncAsync(fd: number): Promise<void> {
    this.datasync(fd);
  }

  truncate(fd: number, length: number): void {
    const f = this.file(fd);
    f.cached =
      length <= f.cached.length
        ? Buffer.from(f.cached.subarray(0, length))
        : Buffer.concat([f.cached, Buffer.alloc(length - f.cached.length)]);
  }

  close(fd: number): void {
    this.fds.delete(fd);
  }

  unlink(path: string): void {
    this.files.delete(path);
    this.named.delete(path);
  }

  rename(from: string, to: string): void {
    const f = this.files.get(from);
    if (!f) throw new Error(`ENOENT: ${from}`);
    this.files.delete(from);
    this.files.set(to, f);
    if (this.named.delete(from)) this.named.add(to);
  }

  syncDir(dir: string): void {
    for (const p of this.files.keys()) if (dirname(p) === dir) this.named.add(p);
  }

  cutPowerAtNextSync(): void {
    this.powerCut = true;
  }

  /** Disarms `cutPowerAtNextSync`. */
  restorePower(): void {
    this.powerCut = false;
  }

  /**
   * Power loss: durable bytes stay; each sector written since the last sync
   * survives or not by the seeded coin (so a write can tear); files never named
   * durably vanish. Every descriptor is gone.
   */
  crash(keepUnsyncedChance: number): void {
    this.fds.clear();
    this.powerCut = false;
    for (const [path, f] of [...this.files]) {
      if (!this.named.has(path)) {
        this.files.delete(path);
        continue;
      }
      const after = Buffer.from(f.durable);
      let result = after;
      if (f.cached.length > after.length && this.rng() < keepUnsyncedChance) {
        result = Buffer.concat([after, Buffer.alloc(f.cached.length - after.length)]);
      }
      for (let s = 0; s < result.length; s += SIM_SECTOR_BYTES) {
        const end = Math.min(result.length, s + SIM_SECTOR_BYTES);
        const cachedPart = f.cached.subarray(s, end);
        const durablePart = f.durable.subarray(s, end);
        if (!cachedPart.equals(durablePart) && this.rng() < keepUnsyncedChance) cachedPart.copy(result, s);
      }
      f.cached = result;
      f.durable = Buffer.from(result);
    }
  }

  /** Flips one byte in a random durable sector of `path`; returns the offset, or null for an empty file. */
  corruptSector(path: string): number | null {
    const f = this.files.get(path);
    if (!f || f.durable.length === 0) return null;
    const offset = Math.floor(this.rng() * f.durable.length);
    f.durable[offset] = (f.durable[offset] as number) ^ 0x5a;
    f.cached = Buffer.from(f.durable);
    return offset;
  }

  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  private file(fd: number): SimFile {
    const path = this.fds.get(fd);
    const f = path === undefined ? undefined : this.files.get(path);
    if (!f) throw new Error(`EBADF: ${fd}`);
    return f;
  }
}
