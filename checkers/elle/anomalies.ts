/** Collects anomalies by type, keeping every count but only the first few of each type. */
export type AnomalyType = string;

export class Anomalies {
  readonly byType = new Map<AnomalyType, Record<string, unknown>[]>();
  readonly counts = new Map<AnomalyType, number>();
  constructor(private readonly perTypeMax: number) {}

  /** `make` runs only when the anomaly is kept, so counting many costs little. */
  add(type: AnomalyType, make: () => Record<string, unknown>): void {
    this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
    const list = this.byType.get(type) ?? [];
    if (list.length < this.perTypeMax) list.push({ type, ...make() });
    this.byType.set(type, list);
  }
}
