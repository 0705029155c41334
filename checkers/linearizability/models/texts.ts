import { sameValue } from "../model.js";

/**
 * Interned strings for the kv models. A kv value grows by appends, and a
 * search reaches many values: hashing each new JS string to intern it costs
 * O(length), and so does building it. Here a value is a node with a small id:
 * written values are interned by value, and an append is a child node (the
 * parent plus a suffix), memoized on the parent, so the id costs O(1) and the
 * string is only built when someone asks for it (an explanation). Equal ids
 * always mean equal values. The same value reached by two append paths
 * ("ab"+"c", "a"+"bc") gets two ids, which only costs pruning; Jepsen's and
 * Porcupine's appends carry unique tokens, so there a value has one path.
 */
export class Text {
  private children: Text[] | undefined;
  private built: unknown;
  /** The last string a read matched against this node: reads repeat while the search backtracks. */
  private matched: string | undefined;
  readonly length: number;

  constructor(
    readonly id: number,
    private readonly base: unknown,
    private readonly parent: Text | undefined,
    private readonly suffix: string,
    private readonly table: Texts,
  ) {
    this.length = parent === undefined ? String(base ?? "").length : parent.length + suffix.length;
    this.built = parent === undefined ? base : undefined;
  }

  append(suffix: string): Text {
    this.children ??= [];
    for (const child of this.children) if (child.suffix === suffix) return child;
    const child = this.table.child(this, suffix);
    this.children.push(child);
    return child;
  }

  /** The value: what was written, or a string for an appended value. */
  get value(): unknown {
    if (this.built === undefined) this.built = String(this.parent?.value ?? "") + this.suffix;
    return this.built;
  }

  /** Whether a read of `out` sees this value; compares suffix by suffix, without building the string. */
  equals(out: unknown): boolean {
    if (this.parent === undefined) return sameValue(out, this.base);
    if (typeof out !== "string" || out.length !== this.length) return false;
    if (this.matched === out) return true;
    let end = out.length;
    let node: Text = this;
    for (let hop = 0; node.parent !== undefined && hop <= this.length; hop++) {
      end -= node.suffix.length;
      if (!out.startsWith(node.suffix, end)) return false;
      node = node.parent;
    }
    const root = String(node.base ?? "");
    if (end !== root.length || !out.startsWith(root, 0)) return false;
    this.matched = out;
    return true;
  }
}

export class Texts {
  private readonly byValue = new Map<unknown, Text>();
  private count = 0;

  /** A node for a value built by an append, not interned by value (see above). */
  child(parent: Text, suffix: string): Text {
    return new Text(this.count++, undefined, parent, suffix, this);
  }

  /** The node of a value (a string, or null/number as written by a put). */
  of(value: unknown): Text {
    let node = this.byValue.get(value);
    if (node === undefined) {
      node = new Text(this.count++, value, undefined, "", this);
      this.byValue.set(value, node);
    }
    return node;
  }
}
