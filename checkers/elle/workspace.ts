/**
 * Arrays the cycle search reuses from one search to the next. A history
 * with thousands of cyclic components runs a dozen small searches on each;
 * fresh typed arrays for every one (thousands of small ArrayBuffers) keep
 * V8's collector busy marking a heap that holds the whole history. A
 * workspace lives for one check: its arrays only grow, and each user leaves
 * them as it found them where it says so.
 */
export class Workspace {
  private readonly ints = new Map<string, Int32Array>();
  private readonly bytes = new Map<string, Uint8Array>();

  /** An Int32Array of at least `n` entries named `name`, holding whatever its last user left. */
  int32(name: string, n: number, fill?: number): Int32Array {
    let array = this.ints.get(name);
    if (array === undefined || array.length < n) {
      array = new Int32Array(Math.max(n, (array?.length ?? 0) * 2));
      if (fill !== undefined) array.fill(fill);
      this.ints.set(name, array);
    }
    return array;
  }

  uint8(name: string, n: number): Uint8Array {
    let array = this.bytes.get(name);
    if (array === undefined || array.length < n) {
      array = new Uint8Array(Math.max(n, (array?.length ?? 0) * 2));
      this.bytes.set(name, array);
    }
    return array;
  }
}
