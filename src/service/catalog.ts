import { modelSpecs } from "../../checkers/linearizability/models/index.js";

/** The checker's models, for validating `?model=` before a worker is bothered, and for the UI's picker. */
export const MODELS: readonly { name: string; summary: string }[] = modelSpecs().map((s) => ({ name: s.name, summary: s.summary }));

export const MODEL_NAMES: readonly string[] = MODELS.map((m) => m.name);
