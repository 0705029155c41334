/**
 * Arrays the cycle search reuses from one search to the next. A history
 * with thousands of cyclic components runs a dozen small searches on each;
 * fresh typed arrays for every one (thousands of small ArrayBuffers) keep
 * V8's collector busy marking a heap that holds the whole history. A
 * workspace lives for one check: its arrays only grow, and each user leaves
 * them as it found them where it says so.
 *
 * Arrays an earlier stage of the check is done with can be donated: a new
 * name takes the smallest donated array that fits before allocating, so a
 * million-txn check carves less of the buffer its columns come from
 * (../arena.ts).
 */
import { int32Column, uint8Column } from "../arena.js";

export class Workspace {
  private readonly ints = new Map<string, Int32Array>();
  private readonly bytes = new Map<string, Uint8Array>();
  private readonly spare: Int32Array[] = [];

  /** An Int32Array of at least `n` entries named `name`, holding whatever its last user left. */
  int32(name: string, n: number, fill?: number): Int32Array {
    let array = this.ints.get(name);
    if (array === undefined || array.length < n) {
      const size = Math.max(n, (array?.length ?? 0) * 2);
      array = this.takeSpare(n) ?? int32Column(size);
      if (fill !== undefined) array.fill(fill);
      this.ints.set(name, array);
    }
    return array;
  }

  /** Gives the workspace an array its owner no longer reads or writes. */
  donate(array: Int32Array): void {
    this.spare.push(array);
  }

  private takeSpare(n: number): Int32Array | undefined {
    let best = -1;
    for (let i = 0; i < this.spare.length; i++) {
      if (this.spare[i].length >= n && (best < 0 || this.spare[i].length < this.spare[best].length)) best = i;
    }
    return best < 0 ? undefined : this.spare.splice(best, 1)[0];
  }

  uint8(name: string, n: number): Uint8Array {
    let array = this.bytes.get(name);
    if (array === undefined || array.length < n) {
      array = uint8Column(Math.max(n, (array?.length ?? 0) * 2));
      this.bytes.set(name, array);
    }
    return array;
  }
}
