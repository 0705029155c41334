import { InputError } from "../history/input-error.js";
import { MACHINE_CONTROLS, median, type Measurements } from "./measurements.js";

/**
 * A control is a figure of the same run that moves with the machine and not with
 * our code. Two sorts:
 * - `scenario:<name>`: another system under the same load (etcd beside ours): its
 *   throughput is the control of our throughput, its p99 of our p99;
 * - `machine:fsync|http|cpu`: a calibration rate. A machine twice as fast doubles
 *   throughput and halves latency, so a rate controls throughput and its inverse
 *   controls latency.
 */

export type Metric = "throughputPerSec" | "latencyMsP99";

const SCENARIO_PREFIX = "scenario:";

/** The control's value for a metric, or NaN when the measurements lack it. */
export function controlValue(m: Measurements, control: string, metric: Metric): number {
  if (control.startsWith(SCENARIO_PREFIX)) {
    const figures = m.scenarios[control.slice(SCENARIO_PREFIX.length)];
    return figures ? median(figures[metric]) : Number.NaN;
  }
  const field = MACHINE_CONTROLS[control as keyof typeof MACHINE_CONTROLS];
  if (field === undefined || m.calibration === undefined) return Number.NaN;
  const rate = median(m.calibration[field]);
  return metric === "throughputPerSec" ? rate : 1 / rate;
}

/** Why a control name is not one the gate knows, or null. */
export function unknownControl(control: string): string | null {
  if (control.startsWith(SCENARIO_PREFIX) && control.length > SCENARIO_PREFIX.length) return null;
  if (control in MACHINE_CONTROLS) return null;
  return `unknown control ${JSON.stringify(control)}: expected scenario:<name> or one of ${Object.keys(MACHINE_CONTROLS).join(", ")}`;
}

/** The baseline must name a usable control for every scenario, and the current folder must hold it. */
export function requireControls(baseline: Measurements, baselinePath: string, current: Measurements, currentPath: string): void {
  for (const [name, figures] of Object.entries(baseline.scenarios)) {
    const control = figures.control;
    if (control === undefined) {
      throw new InputError(
        `${baselinePath}: scenario ${JSON.stringify(name)} has no control, so it cannot be compared across machines; re-measure it with tob bench (which records one)`,
      );
    }
    const unknown = unknownControl(control);
    if (unknown) throw new InputError(`${baselinePath}: scenario ${JSON.stringify(name)}: ${unknown}`);
    for (const metric of ["throughputPerSec", "latencyMsP99"] as const) {
      if (!(controlValue(baseline, control, metric) > 0)) {
        throw new InputError(`${baselinePath}: scenario ${JSON.stringify(name)}: its control ${control} has no ${metric} figure`);
      }
      if (current.scenarios[name] !== undefined && !(controlValue(current, control, metric) > 0)) {
        throw new InputError(
          `${currentPath}: holds ${JSON.stringify(name)} but not its control ${control} (${metric}); measure both in the same run`,
        );
      }
    }
  }
}
