/**
 * Elle-style checkers for transactional histories: list-append and
 * rw-register. Input shapes: ./parse.ts and ./register.ts.
 *
 * Pipeline: parse (and check each txn's internal consistency) -> version
 * orders from reads (list-append: ./orders.ts; rw-register: ./register-orders.ts),
 * with the non-cycle anomalies (incompatible orders, duplicates, G1a, G1b,
 * garbage reads, torn appends, ...) and the ww / wr / rw edges -> real-time
 * and process edges (./session.ts) -> cycles (./cycles.ts: G0, G1c,
 * G-single, G2-item and their -process / -realtime forms) -> the models
 * ruled out (./models.ts). The result is shaped like Elle's: `valid`,
 * `anomaly-types`, `anomalies` (by type, each with an explanation), `not`,
 * `also-not`. Cost: linear in micro-ops and read elements, plus the cycle
 * search, which only runs inside cyclic components.
 */
export { DEFAULT_MODELS, type ElleOptions, type ElleResult } from "./analyze.js";
export { checkListAppend, checkRwRegister, elleListAppendChecker, elleRwRegisterChecker } from "./check.js";
export { parseElleEdn } from "./edn.js";
export { cycleSvg, renderElleHtml } from "./html.js";
export { boundary, KNOWN_MODELS } from "./models.js";
export { completeOrphans, type ElleSource } from "./orphans.js";
export { shrinkElle, type ShrinkOptions, type Shrunk } from "./shrink.js";
export { checkElleSource, ELLE_WORKLOADS, elleWorkloadOf, type ElleFileOptions, type ElleWorkload } from "./source.js";
