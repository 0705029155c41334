/**
 * Interned strings for the kv models. A kv value grows by appends, and a
 * search reaches many values: hashing each new JS string to intern it costs
 * O(length). Here a value is a node with a small id: written values are
 * interned by value, and an append from a node is memoized on that node, so
 * the id costs O(1). Equal ids always mean equal values. The same value
 * reached by two append paths ("ab"+"c", "a"+"bc") gets two ids, which only
 * costs pruning; Jepsen's and Porcupine's appends carry unique tokens, so
 * there a value has one path.
 */
export class Text {
  private appended: Map<string, Text> | undefined;
  constructor(readonly id: number, readonly value: unknown, private readonly table: Texts) {}

  append(suffix: string): Text {
    this.appended ??= new Map();
    let next = this.appended.get(suffix);
    if (next === undefined) {
      next = this.table.fresh(String(this.value ?? "") + suffix);
      this.appended.set(suffix, next);
    }
    return next;
  }
}

export class Texts {
  private readonly byValue = new Map<unknown, Text>();
  private count = 0;

  /** A node for a value built by an append, not interned by value (see above). */
  fresh(value: string): Text {
    return new Text(this.count++, value, this);
  }

  /** The node of a value (a string, or null/number as written by a put). */
  of(value: unknown): Text {
    let node = this.byValue.get(value);
    if (node === undefined) {
      node = new Text(this.count++, value, this);
      this.byValue.set(value, node);
    }
    return node;
  }
}
