import { crc32 as zlibCrc32 } from "node:zlib";

/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib and gzip compute it.
 * zlib's native one (Node >= 20.15; package.json asks for 20.19) is ~7x faster than
 * a JS table loop: 1.3 vs 9.4 us for a 4 KB batch.
 */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, crcSoFar = 0): number {
  return zlibCrc32(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), crcSoFar);
}
