import { randomBytes } from "node:crypto";
import type { CheckProgress } from "./protocol.js";

export type CheckStatus = "queued" | "running" | "done" | "failed";

/** One submitted check as the API shows it; finished ones are also its file on disk. */
export interface CheckRecord {
  id: string;
  status: CheckStatus;
  /** the checker asked for; once done, the one that ran (inferred when none was asked for) */
  checker?: string;
  /** linearizable: the model asked for */
  model?: string;
  format?: string;
  timeoutS: number;
  bytes: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Check time in the worker, the figure the histogram in /metrics counts. */
  durationMs?: number;
  progress?: CheckProgress;
  ops?: number;
  result?: { valid: true | false | "unknown"; [field: string]: unknown };
  /** Why a check failed: input the reader refused (with its line), or a worker that stopped. */
  error?: { message: string; line?: number; reason?: string };
  hasTimeline: boolean;
}

/** Time first, so that ids sort by age; the random part keeps them unguessable and unique. */
export function newCheckId(nowMs = Date.now()): string {
  return `${nowMs.toString(36).padStart(9, "0")}-${randomBytes(6).toString("hex")}`;
}

export const CHECK_ID_PATTERN = "^[0-9a-z]{9}-[0-9a-f]{12}$";
const checkIdRe = new RegExp(CHECK_ID_PATTERN);

export function isCheckId(id: string): boolean {
  return checkIdRe.test(id);
}

export function isFinished(record: CheckRecord): boolean {
  return record.status === "done" || record.status === "failed";
}
