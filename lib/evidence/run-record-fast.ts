import type { RunRecord } from "./run-record";

/**
 * A hand-written check of the run record schema (run-record.ts) for the hot path: zod takes
 * ~10 µs a record, a second at 100,000 runs (DESIGN §11: the observer report in under 1.5 s).
 *
 * It answers only "certainly valid, and zod would return exactly this object": every rule of the
 * schema holds (some stricter: safe integers only) and the keys are a subset of the schema's, in
 * the schema's order, as zod would output them. Anything else returns null and zod decides, so
 * what is accepted, what is refused and every message stay zod's. run-record-fast.test.ts proves
 * the two agree.
 */
const KEYS = [
  "run_id",
  "trigger_mode",
  "status",
  "sha_parity",
  "retries",
  "retry_origin",
  "run_started_at_utc",
  "run_completed_at_utc",
  "duration_sec",
  "prov_sha",
  "computed_sha",
  "observer_run_id",
  "observer_notes",
  "window_days",
  "retry_exhausted",
  "supabase_response_code",
  "head_sha",
  "workflow_name",
  "branch",
  "source",
] as const;
const REQUIRED = 13; // the first 13 keys are required, the rest optional

const TRIGGER = /^[a-z_]{1,64}$/;
/** `^([0-9a-fA-F]{64})?$` by hand: 200,000 regex tests cost ~100 ms at 100,000 runs. */
function isShaOrEmpty(v: unknown): boolean {
  if (typeof v !== "string") return false;
  if (v.length === 0) return true;
  if (v.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = v.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]00:00)$/;

const digits = (v: string, at: number, n: number) => {
  let value = 0;
  for (let i = at; i < at + n; i++) value = value * 10 + (v.charCodeAt(i) - 48);
  return value;
};

/** utcTimestamp's regex and calendar check (utc-timestamp.ts), without allocating. */
function isTimestamp(v: unknown): v is string {
  if (typeof v !== "string" || !TIMESTAMP.test(v)) return false;
  const year = digits(v, 0, 4);
  const month = digits(v, 5, 2);
  const day = digits(v, 8, 2);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= days &&
    digits(v, 11, 2) <= 23 &&
    digits(v, 14, 2) <= 59 &&
    digits(v, 17, 2) <= 59
  );
}

/** start ≤ completion; the usual `…:SSZ` pair compares as strings, anything else as instants. */
function inOrder(start: string, end: string): boolean {
  if (start.length === 20 && end.length === 20 && start.endsWith("Z") && end.endsWith("Z"))
    return start <= end;
  return !(Date.parse(start) > Date.parse(end));
}

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);
const isOptionalString = (v: unknown) => v === undefined || typeof v === "string";

/** `value` itself when it is a valid run record exactly as zod would output it; otherwise null. */
export function checkRunRecordFast(value: unknown): RunRecord | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  if (Object.getPrototypeOf(value) !== Object.prototype) return null;
  const r = value as Record<string, unknown>;
  let k = 0;
  for (const key in r) {
    while (k < KEYS.length && KEYS[k] !== key) {
      if (k < REQUIRED) return null; // a required key is missing or out of order
      k++;
    }
    if (k === KEYS.length || r[key] === undefined) return null; // unknown, repeated or undefined
    k++;
  }
  if (k < REQUIRED) return null;

  const runId = r.run_id;
  if (typeof runId !== "string" || runId.length < 1 || runId.length > 100) return null;
  if (typeof r.trigger_mode !== "string" || !TRIGGER.test(r.trigger_mode)) return null;
  if (r.status !== "success" && r.status !== "failure" && r.status !== "cancelled") return null;
  if (typeof r.sha_parity !== "boolean") return null;
  if (!isInt(r.retries) || r.retries < 0) return null;
  if (r.retry_origin !== null && typeof r.retry_origin !== "string") return null;
  if (!isTimestamp(r.run_started_at_utc) || !isTimestamp(r.run_completed_at_utc)) return null;
  if (!inOrder(r.run_started_at_utc, r.run_completed_at_utc)) return null;
  if (typeof r.duration_sec !== "number" || !(r.duration_sec > 0) || r.duration_sec === Infinity) return null;
  if (!isShaOrEmpty(r.prov_sha) || !isShaOrEmpty(r.computed_sha)) return null;
  if (typeof r.observer_run_id !== "string" || typeof r.observer_notes !== "string") return null;
  if (!r.sha_parity && r.observer_notes.trim() === "") return null;
  if (r.window_days !== undefined && (!isInt(r.window_days) || r.window_days <= 0)) return null;
  if (r.retry_exhausted !== undefined && typeof r.retry_exhausted !== "boolean") return null;
  const code = r.supabase_response_code;
  if (code !== undefined && code !== null && (!isInt(code) || code < 100 || code > 599)) return null;
  if (!isOptionalString(r.head_sha) || !isOptionalString(r.workflow_name) || !isOptionalString(r.branch))
    return null;
  if (r.source !== undefined && r.source !== "manual" && r.source !== "auto") return null;
  return r as RunRecord;
}
