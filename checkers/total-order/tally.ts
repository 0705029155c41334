/** One property's outcome: a verdict, how many violations, and the first few witnesses. */
export interface Property {
  valid: boolean;
  /** how many violations (messages, reads or acknowledgements, as each example says) */
  count: number;
  /** the first few counterexamples */
  examples: Record<string, unknown>[];
}

export class Tally implements Property {
  valid = true;
  count = 0;
  examples: Record<string, unknown>[] = [];
  constructor(private readonly examplesMax: number) {}
  /** The witness is built only while examples are still kept: violations can number millions. */
  add(example: () => Record<string, unknown>): void {
    this.valid = false;
    this.count++;
    if (this.examples.length < this.examplesMax) this.examples.push(example());
  }
}
