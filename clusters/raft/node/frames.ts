/**
 * Length-prefixed frames on a byte stream: u32le length, then that many bytes.
 * The reader is fed chunks as they arrive and yields whole frames.
 */

export const FRAME_BYTES_MAX = 64 * 1024 * 1024;

/** The frame of a body given in parts: its header, then the parts, to write in order. */
export function encodeFrame(parts: Buffer[]): Buffer[] {
  let bytes = 0;
  for (const p of parts) bytes += p.length;
  if (bytes > FRAME_BYTES_MAX) throw new Error(`frame of ${bytes} bytes exceeds ${FRAME_BYTES_MAX}`);
  const header = Buffer.allocUnsafe(4);
  header.writeUInt32LE(bytes, 0);
  return [header, ...parts];
}

export class FrameReader {
  private chunks: Buffer[] = [];
  private bytes = 0;
  /** Bytes needed before the next frame completes; chunks are only joined once there. */
  private needBytes = 4;

  /** Returns the whole frames completed by `chunk`; throws on a frame over the limit. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (this.bytes < this.needBytes) return [];
    const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.bytes);
    const frames: Buffer[] = [];
    let offset = 0;
    this.needBytes = 4;
    // Each pass consumes one frame, so the loop is bounded by the buffer's length.
    while (buf.length - offset >= 4) {
      const length = buf.readUInt32LE(offset);
      if (length > FRAME_BYTES_MAX) throw new Error(`frame of ${length} bytes exceeds ${FRAME_BYTES_MAX}`);
      if (buf.length - offset - 4 < length) {
        this.needBytes = 4 + length;
        break;
      }
      frames.push(buf.subarray(offset + 4, offset + 4 + length));
      offset += 4 + length;
    }
    // Copy the remainder so a small tail does not pin a large chunk in memory.
    const rest = buf.subarray(offset);
    this.chunks = rest.length === 0 ? [] : [Buffer.from(rest)];
    this.bytes = rest.length;
    return frames;
  }
}
