import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Verdict } from "../../checkers/verdict.js";
import { InputError } from "../history/input-error.js";
import { mergeCalibrations } from "./calibrate.js";
import { MEASUREMENTS_FORMAT, thisMachine, type Calibration, type Measurements, type ScenarioFigures } from "./measurements.js";

/** The shape `tob bench` writes to OUT/bench.json (and compare writes to compare.json). */
export const BENCH_FORMAT = "tob-bench/1";

export interface BenchFile {
  format: string;
  machine: Measurements["machine"];
  scenarios: Record<string, ScenarioFigures>;
  verdicts?: Record<string, Verdict>;
  calibration?: Calibration;
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new InputError(`cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${path} is not JSON: ${(err as Error).message}`);
  }
}

function isVerdict(v: unknown): v is Verdict {
  return v === true || v === false || v === "unknown";
}

function numberList(path: string, field: string, value: unknown): number[] {
  if (!Array.isArray(value) || !value.every((x) => typeof x === "number")) {
    throw new InputError(`${path}: field ${field} must be a list of numbers`);
  }
  return value as number[];
}

function scenariosFrom(path: string, value: unknown): Record<string, ScenarioFigures> {
  if (typeof value !== "object" || value === null) throw new InputError(`${path}: field scenarios must be an object`);
  const out: Record<string, ScenarioFigures> = {};
  for (const [name, figures] of Object.entries(value as Record<string, Record<string, unknown>>)) {
    const control = figures?.control;
    if (control !== undefined && typeof control !== "string")
      throw new InputError(`${path}: field scenarios.${name}.control must be a string`);
    out[name] = {
      throughputPerSec: numberList(path, `scenarios.${name}.throughputPerSec`, figures?.throughputPerSec),
      latencyMsP99: numberList(path, `scenarios.${name}.latencyMsP99`, figures?.latencyMsP99),
      ...(control === undefined ? {} : { control }),
    };
  }
  return out;
}

function calibrationFrom(path: string, value: unknown): Calibration | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null) throw new InputError(`${path}: field calibration must be an object`);
  const raw = value as Record<string, unknown>;
  return {
    fsyncPerSec: numberList(path, "calibration.fsyncPerSec", raw.fsyncPerSec),
    httpPerSec: numberList(path, "calibration.httpPerSec", raw.httpPerSec),
    cpuLoopsPerSec: numberList(path, "calibration.cpuLoopsPerSec", raw.cpuLoopsPerSec),
  };
}

function verdictsFrom(path: string, value: unknown): Record<string, Verdict> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null) throw new InputError(`${path}: field verdicts must be an object`);
  const out: Record<string, Verdict> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!isVerdict(v)) throw new InputError(`${path}: verdicts.${name} must be true, false or "unknown"`);
    out[name] = v;
  }
  return out;
}

/** A baseline file: Measurements JSON. An older or foreign format is refused with the reason. */
export function loadBaseline(path: string): Measurements {
  const raw = readJson(path) as Partial<Measurements>;
  if (raw?.format !== MEASUREMENTS_FORMAT) {
    throw new InputError(
      `${path}: baseline format is ${JSON.stringify(raw?.format)}, this tob reads ${MEASUREMENTS_FORMAT}; write a new one with tob gate --write-baseline`,
    );
  }
  const machine = raw.machine;
  if (!machine || typeof machine.arch !== "string" || typeof machine.cpuCount !== "number" || typeof machine.memGiB !== "number") {
    throw new InputError(`${path}: field machine must be {arch, cpuCount, memGiB}`);
  }
  const calibration = calibrationFrom(path, raw.calibration);
  return {
    format: MEASUREMENTS_FORMAT,
    machine,
    source: typeof raw.source === "string" ? raw.source : path,
    verdicts: verdictsFrom(path, raw.verdicts),
    scenarios: scenariosFrom(path, raw.scenarios ?? {}),
    ...(calibration ? { calibration } : {}),
  };
}

/** Verdicts of a run's results.json: the overall one and each checker's, named `<test>/<checker>`. */
function runVerdicts(dir: string): Record<string, Verdict> {
  const path = join(dir, "results.json");
  const results = readJson(path) as { valid?: unknown; results?: Record<string, { valid?: unknown }> };
  const testPath = join(dir, "test.json");
  const test = existsSync(testPath) ? (readJson(testPath) as { name?: string; workload?: string }) : {};
  const testName = test.name ?? test.workload ?? "run";
  const out: Record<string, Verdict> = {};
  if (!isVerdict(results.valid)) throw new InputError(`${path}: field valid must be true, false or "unknown"`);
  out[testName] = results.valid;
  for (const [checker, result] of Object.entries(results.results ?? {})) {
    if (isVerdict(result?.valid)) out[`${testName}/${checker}`] = result.valid;
  }
  return out;
}

/**
 * The current figures from a folder: a `tob bench` output (bench.json or
 * compare.json) and/or a `tob run` folder (results.json). Figures are taken on
 * this machine, now.
 */
export function loadCurrent(dir: string): Measurements {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`--current ${dir} is not a folder`);
  const current: Measurements = { format: MEASUREMENTS_FORMAT, machine: thisMachine(), source: dir, verdicts: {}, scenarios: {} };
  let found = false;
  for (const name of ["bench.json", "compare.json"]) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    const bench = readJson(path) as Partial<BenchFile>;
    if (bench.format !== BENCH_FORMAT) throw new InputError(`${path}: format is ${JSON.stringify(bench.format)}, expected ${BENCH_FORMAT}`);
    Object.assign(current.scenarios, scenariosFrom(path, bench.scenarios ?? {}));
    Object.assign(current.verdicts, verdictsFrom(path, bench.verdicts));
    const calibration = calibrationFrom(path, bench.calibration);
    if (calibration) current.calibration = current.calibration ? mergeCalibrations(current.calibration, calibration) : calibration;
    if (bench.machine) current.machine = bench.machine;
    found = true;
  }
  if (existsSync(join(dir, "results.json"))) {
    Object.assign(current.verdicts, runVerdicts(dir));
    found = true;
  }
  if (!found) throw new InputError(`--current ${dir} holds no bench.json, compare.json or results.json`);
  return current;
}
