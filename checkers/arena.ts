/**
 * Typed columns for one check, carved from one buffer reserved when this
 * module loads (static allocation, as TigerBeetle does it).
 *
 * Why: V8 counts ArrayBuffer bytes as external memory, and once they grow
 * 64 MB past what the last full collection saw it marks the whole heap. A
 * check's heap holds the whole history (about a gigabyte of objects for a
 * million txns), so each such mark costs most of a second; a million-txn
 * Elle check needs about 100 MB of columns, so fresh typed arrays cost it a
 * full mark or two. Reserved here, while the heap is still small, the buffer
 * moves that collection to startup, where it takes milliseconds, and every
 * later collection counts the buffer as already there. Pages the checks never
 * touch are never resident.
 *
 * A scope (withColumns) owns what it carves until it returns: a column must
 * not outlive its scope, since the next check reuses the bytes. Scopes nest.
 * Outside a scope, or once the buffer is full, columns are fresh typed arrays.
 */
export const RESERVED_BYTES = 256 * 2 ** 20;

/** null where the reservation is refused (a capped address space): every column is then fresh */
const reserved = reserve();
/** bytes carved by the open scopes */
let top = 0;
let depth = 0;
/**
 * Bytes ever carved: past this the buffer is as the allocator gave it, zero,
 * and its pages untouched. A column there is not zeroed again, so a column
 * sized by a bound (pairOps's, by the history's length) costs only the pages
 * written.
 */
let touched = 0;

function reserve(): ArrayBuffer | null {
  try {
    return new ArrayBuffer(RESERVED_BYTES);
  } catch {
    return null;
  }
}

/** Runs `run` as a scope: what it carves is free again when it returns (or throws). */
export function withColumns<T>(run: () => T): T {
  const mark = top;
  depth++;
  try {
    return run();
  } finally {
    depth--;
    top = mark;
  }
}

/**
 * The byte offset of `bytes` carved from the buffer, 8-aligned, zero
 * throughout; -1 outside a scope or when full.
 */
function carve(bytes: number): number {
  if (depth === 0 || reserved === null) return -1;
  const at = (top + 7) & ~7;
  if (at + bytes > RESERVED_BYTES) return -1;
  top = at + bytes;
  if (at < touched) new Uint8Array(reserved, at, Math.min(top, touched) - at).fill(0);
  touched = Math.max(touched, top);
  return at;
}

/** A zeroed Int32Array of `n` entries, as `new Int32Array(n)` gives. */
export function int32Column(n: number): Int32Array {
  const at = carve(4 * n);
  return at < 0 ? new Int32Array(n) : new Int32Array(reserved!, at, n);
}

/** A zeroed Uint8Array of `n` entries. */
export function uint8Column(n: number): Uint8Array {
  const at = carve(n);
  return at < 0 ? new Uint8Array(n) : new Uint8Array(reserved!, at, n);
}

/** Bytes carved by the open scopes (for tests). */
export const carvedBytes = (): number => top;
