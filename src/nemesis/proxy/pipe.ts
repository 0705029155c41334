/**
 * One direction of one proxied connection: bytes from `src` to `dst`, passed,
 * delayed, or dropped. A pipe's mode is fixed for its life: changing a link's
 * fault closes its connections (./link.ts), because resuming a stream after
 * dropping part of it would hand the peer a torn frame.
 */
import type { Socket } from "node:net";

export interface PipeMode {
  drop: boolean;
  delayMs: number;
}

/** Bytes a delayed pipe holds before it stops reading from its source (backpressure). */
const DELAY_BUFFER_BYTES_MAX = 4 * 1024 * 1024;

export function pipe(src: Socket, dst: Socket, mode: PipeMode): void {
  if (mode.drop) {
    // Read and discard, so the sender sees a live but silent peer: a blackhole.
    src.on("data", () => {});
    return;
  }
  if (mode.delayMs <= 0) {
    src.pipe(dst);
    return;
  }
  let bufferedBytes = 0;
  src.on("data", (chunk: Buffer) => {
    bufferedBytes += chunk.length;
    if (bufferedBytes > DELAY_BUFFER_BYTES_MAX) src.pause();
    // Equal delays keep timers in order, so the stream stays in order.
    setTimeout(() => {
      bufferedBytes -= chunk.length;
      if (!dst.destroyed) dst.write(chunk);
      if (bufferedBytes <= DELAY_BUFFER_BYTES_MAX && src.isPaused() && !src.destroyed) src.resume();
    }, mode.delayMs);
  });
  src.on("end", () => setTimeout(() => dst.end(), mode.delayMs));
}
