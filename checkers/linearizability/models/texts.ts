import { sameValue } from "../model.js";

const NO_PARENT = -1;

/**
 * Interned strings for the kv models, as small integer ids. A kv value grows
 * by appends, and a search reaches many values: hashing each new JS string to
 * intern it costs O(length), and so does building it. Here a value is a node:
 * written values are roots, interned by value; an append is a child (the
 * parent plus a suffix), memoized on the parent, so its id costs O(1)
 * and the string is only built when someone asks for it (an explanation).
 * Equal ids always mean equal values. The same value reached by two append
 * paths ("ab"+"c", "a"+"bc") gets two ids, which only costs pruning;
 * Jepsen's and Porcupine's appends carry unique tokens, so there a value has
 * one path.
 *
 * Nodes live in parallel arrays, not one object each: a search on kv c50
 * reaches some 50k values per key, and with an object per value the garbage
 * collector took almost half the time (every node survives, so every
 * scavenge copied them all).
 */
export class Texts {
  private parent = new Int32Array(1024);
  private lengthOf = new Int32Array(1024);
  /** Children as a list per node: a node has a child per distinct append tried from it, a handful. */
  private firstChild = new Int32Array(1024);
  private nextSibling = new Int32Array(1024);
  private count = 0;
  /** What each node appends to its parent ("" for a root): the op's own string, not a copy. */
  private readonly suffixOf: string[] = [];
  /** The last string a read matched against each node: reads repeat while the search backtracks. */
  private readonly matched: Array<string | undefined> = [];
  private readonly rootValue = new Map<number, unknown>();
  private readonly rootByValue = new Map<unknown, number>();

  /** The node of a written value (a string, or null/number as written by a put). */
  of(value: unknown): number {
    let id = this.rootByValue.get(value);
    if (id === undefined) {
      id = this.add(NO_PARENT, "", String(value ?? "").length);
      this.rootValue.set(id, value);
      this.rootByValue.set(value, id);
    }
    return id;
  }

  /** The node of `id`'s value with `suffix` appended. */
  append(id: number, suffix: string): number {
    // Bounded by the children made so far; strings compare by pointer first, and an op passes its own each time.
    for (let child = this.firstChild[id]; child !== -1; child = this.nextSibling[child]) if (this.suffixOf[child] === suffix) return child;
    const child = this.add(id, suffix, this.lengthOf[id] + suffix.length);
    this.nextSibling[child] = this.firstChild[id];
    this.firstChild[id] = child;
    return child;
  }

  /** Whether a read of `out` sees node `id`'s value; compares suffix by suffix, without building the string. */
  equals(id: number, out: unknown): boolean {
    if (this.parent[id] === NO_PARENT) return sameValue(out, this.rootValue.get(id));
    if (typeof out !== "string" || out.length !== this.lengthOf[id]) return false;
    if (this.matched[id] === out) return true;
    let end = out.length;
    let node = id;
    // Bounded by the nodes made (a chain of empty appends is longer than the string).
    for (let hop = 0; this.parent[node] !== NO_PARENT && hop <= this.count; hop++) {
      const suffix = this.suffixOf[node];
      end -= suffix.length;
      if (!out.startsWith(suffix, end)) return false;
      node = this.parent[node];
    }
    const root = String(this.rootValue.get(node) ?? "");
    if (end !== root.length || !out.startsWith(root, 0)) return false;
    this.matched[id] = out;
    return true;
  }

  /** The value: what was written, or a string for an appended value. */
  value(id: number): unknown {
    if (this.parent[id] === NO_PARENT) return this.rootValue.get(id);
    const parts: string[] = [];
    let node = id;
    for (let hop = 0; this.parent[node] !== NO_PARENT && hop <= this.count; hop++) {
      parts.push(this.suffixOf[node]);
      node = this.parent[node];
    }
    parts.push(String(this.rootValue.get(node) ?? ""));
    return parts.reverse().join("");
  }

  private add(parent: number, suffix: string, length: number): number {
    if (this.count === this.parent.length) this.grow();
    const id = this.count++;
    this.parent[id] = parent;
    this.lengthOf[id] = length;
    this.firstChild[id] = -1;
    this.nextSibling[id] = -1;
    // Pushed, so the arrays stay dense (a write far past the end would make a dictionary).
    this.suffixOf.push(suffix);
    this.matched.push(undefined);
    return id;
  }

  private grow(): void {
    const widen = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.parent = widen(this.parent);
    this.lengthOf = widen(this.lengthOf);
    this.firstChild = widen(this.firstChild);
    this.nextSibling = widen(this.nextSibling);
  }
}
