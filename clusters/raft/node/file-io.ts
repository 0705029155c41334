import {
  closeSync,
  constants,
  fdatasync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  write,
  writeSync,
} from "node:fs";
import { promisify } from "node:util";

/**
 * The file operations the write-ahead log and the snapshot store use, behind one
 * seam: the node runs them on the real file system, the simulator on a disk that
 * can tear a write, lose what was not synced, or corrupt a sector.
 */
export interface FileIo {
  mkdirp(dir: string): void;
  /** Names (not paths) of the files in `dir`. */
  list(dir: string): string[];
  readFile(path: string): Buffer;
  /** Opens for reading and writing, creating the file if absent (not O_APPEND). */
  open(path: string): number;
  size(fd: number): number;
  /** Writes all of `buf` at `position`. */
  writeAt(fd: number, buf: Buffer, position: number): void;
  writeAtAsync(fd: number, buf: Buffer, position: number): Promise<void>;
  datasync(fd: number): void;
  datasyncAsync(fd: number): Promise<void>;
  truncate(fd: number, length: number): void;
  close(fd: number): void;
  unlink(path: string): void;
  rename(from: string, to: string): void;
  /** Makes the directory's entries (files created, renamed, removed) durable. */
  syncDir(dir: string): void;
}

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);
/** Regular files take a whole write; the bound guards against a short-write loop. */
const WRITE_ATTEMPTS_MAX = 16;

export const nodeFileIo: FileIo = {
  mkdirp: (dir) => void mkdirSync(dir, { recursive: true }),
  list: (dir) => readdirSync(dir),
  readFile: (path) => readFileSync(path),
  open: (path) => openSync(path, constants.O_RDWR | constants.O_CREAT),
  size: (fd) => fstatSync(fd).size,
  writeAt(fd, buf, position) {
    let done = 0;
    for (let attempt = 0; done < buf.length; attempt++) {
      if (attempt >= WRITE_ATTEMPTS_MAX) throw new Error("short writes did not finish");
      done += writeSync(fd, buf, done, buf.length - done, position + done);
    }
  },
  async writeAtAsync(fd, buf, position) {
    let done = 0;
    for (let attempt = 0; done < buf.length; attempt++) {
      if (attempt >= WRITE_ATTEMPTS_MAX) throw new Error("short writes did not finish");
      done += (await writeAsync(fd, buf, done, buf.length - done, position + done)).bytesWritten;
    }
  },
  datasync: (fd) => fdatasyncSync(fd),
  datasyncAsync: (fd) => fdatasyncAsync(fd),
  truncate: (fd, length) => ftruncateSync(fd, length),
  close: (fd) => closeSync(fd),
  unlink: (path) => unlinkSync(path),
  rename: (from, to) => renameSync(from, to),
  syncDir(dir) {
    const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
};
