import { type Verdict, worstVerdict } from "../../checkers/verdict.js";

/** One checker's result as the reports show it. */
export interface CheckerView {
  name: string;
  verdict: Verdict;
  /** A few scalar fields, for the summary line; the whole result is shown as JSON. */
  figures: [string, string][];
  result: unknown;
  /** Plain-language explanations the checker gave (a violation's story), shown above its JSON. */
  explanations: string[];
  /** A relative link to the counterexample, for a linearizability violation. */
  counterexample?: string;
}

export interface Verdicts {
  verdict: Verdict;
  checkers: CheckerView[];
  notes: string[];
}

const FIGURES_MAX = 8;
const FIGURE_TEXT_MAX = 120;
const CHECKERS_MAX = 200;
const LIST_FIGURE_ITEMS_MAX = 5;
const EXPLANATIONS_MAX = 3;
const EXPLANATION_CHARS_MAX = 4_000;

/** results.json is written by several hands; accept the spellings a person would. */
export function toVerdict(v: unknown): Verdict | undefined {
  if (v === true || v === "true" || v === "valid") return true;
  if (v === false || v === "false" || v === "invalid") return false;
  if (v === "unknown") return "unknown";
  return undefined;
}

export function verdictWord(v: Verdict): "valid" | "invalid" | "unknown" {
  return v === true ? "valid" : v === false ? "invalid" : "unknown";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function figureText(v: unknown): string | undefined {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  if (typeof v === "boolean") return String(v);
  if (typeof v === "string") return v.length <= FIGURE_TEXT_MAX ? v : v.slice(0, FIGURE_TEXT_MAX - 1) + "…";
  if (Array.isArray(v)) {
    // A short list of names (e.g. anomaly-types) says more than its length.
    const names = v.length <= LIST_FIGURE_ITEMS_MAX && v.every((x) => typeof x === "string") ? v.join(", ") : "";
    if (v.length > 0 && names.length > 0 && names.length <= FIGURE_TEXT_MAX) return names;
    return `${v.length} item${v.length === 1 ? "" : "s"}`;
  }
  return undefined;
}

/** Scalars at the top, then those one level down ("ops.completed"): perf nests its figures. */
function figuresOf(result: unknown): [string, string][] {
  if (!isObject(result)) return [];
  const out: [string, string][] = [];
  const nested: [string, string][] = [];
  for (const [key, value] of Object.entries(result)) {
    if (key === "valid") continue;
    const text = figureText(value);
    if (text !== undefined) out.push([key, text]);
    else if (isObject(value)) {
      for (const [child, v] of Object.entries(value)) {
        const childText = typeof v === "object" ? undefined : figureText(v);
        if (childText !== undefined && nested.length < FIGURES_MAX) nested.push([`${key}.${child}`, childText]);
      }
    }
  }
  return [...out, ...nested].slice(0, FIGURES_MAX);
}

function clip(text: string): string {
  return text.length <= EXPLANATION_CHARS_MAX ? text : text.slice(0, EXPLANATION_CHARS_MAX - 1) + "…";
}

/**
 * Explanations as the checkers write them: a top-level `explanation`, or a
 * `text`/`explanation` on each of its `anomalies` (linearizability, Elle).
 */
function explanationsOf(result: unknown): string[] {
  if (!isObject(result)) return [];
  const out: string[] = [];
  if (typeof result.explanation === "string") out.push(clip(result.explanation));
  const anomalies = Array.isArray(result.anomalies) ? result.anomalies : [];
  for (const a of anomalies.slice(0, EXPLANATIONS_MAX)) {
    if (!isObject(a)) continue;
    const text = typeof a.text === "string" ? a.text : typeof a.explanation === "string" ? a.explanation : undefined;
    if (text !== undefined) out.push(clip(text));
  }
  if (anomalies.length > EXPLANATIONS_MAX) out.push(`… and ${anomalies.length - EXPLANATIONS_MAX} more anomalies in the JSON below`);
  return out;
}

/** The checkers in results.json: compose's `results` map, or else any field that looks like a result. */
function checkerEntries(obj: Record<string, unknown>): [string, unknown][] {
  if (isObject(obj.results)) return Object.entries(obj.results);
  return Object.entries(obj).filter(([key, v]) => key !== "valid" && isObject(v) && "valid" in v);
}

export function readVerdicts(results: unknown, hasTimeline: boolean): Verdicts {
  const notes: string[] = [];
  if (results === undefined) return { verdict: "unknown", checkers: [], notes };
  if (!isObject(results)) {
    return { verdict: "unknown", checkers: [], notes: ["results.json is not a JSON object: verdict unknown"] };
  }
  const entries = checkerEntries(results);
  if (entries.length > CHECKERS_MAX) notes.push(`showing ${CHECKERS_MAX} of ${entries.length} checker results`);
  const checkers: CheckerView[] = [];
  for (const [name, result] of entries.slice(0, CHECKERS_MAX)) {
    const stated = isObject(result) ? toVerdict(result.valid) : undefined;
    if (stated === undefined) notes.push(`checker "${name}" gives no valid field: counted as unknown`);
    const view: CheckerView = {
      name,
      verdict: stated ?? "unknown",
      figures: figuresOf(result),
      result,
      explanations: explanationsOf(result),
    };
    if (view.verdict === false && hasTimeline && /lineari[sz]/i.test(name)) view.counterexample = "timeline.html";
    checkers.push(view);
  }
  const folded = worstVerdict(checkers.map((c) => c.verdict));
  const stated = toVerdict(results.valid);
  if (stated === undefined) {
    notes.push(
      checkers.length > 0
        ? "results.json gives no overall verdict: taken as the worst checker verdict"
        : "results.json gives no verdict and no checker results",
    );
  } else if (checkers.length > 0 && stated !== folded) {
    notes.push(`results.json says ${verdictWord(stated)} but its checkers compose to ${verdictWord(folded)}`);
  }
  const verdict = stated ?? (checkers.length > 0 ? folded : "unknown");
  return { verdict, checkers, notes };
}
