import type { Queryable } from "../db";
import type { RunRecord, RunStatus } from "../evidence/run-record";

/**
 * Reading an event's runs back from the `runs` table (the mirror of RUNS_SUMMARY.json,
 * supabase/migrations/20251114000000_runs.sql) as the file's run records. Timestamps are formatted
 * by the database: node-postgres would otherwise build a Date per value (200,000 at 100,000 runs)
 * only for us to turn each back into a string.
 */
const utc = (column: string) =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${column}`;

const COLUMNS = `run_id, trigger_mode, status, sha_parity, retries, retry_origin,
  ${utc("run_started_at_utc")}, ${utc("run_completed_at_utc")}, duration_sec, prov_sha, computed_sha,
  observer_run_id, observer_notes, window_days, retry_exhausted, supabase_response_code, head_sha,
  workflow_name, branch, source`;

export interface RunRow {
  run_id: string;
  trigger_mode: string;
  status: string;
  sha_parity: boolean;
  retries: number | string;
  retry_origin: string | null;
  run_started_at_utc: string;
  run_completed_at_utc: string;
  duration_sec: number | string;
  prov_sha: string;
  computed_sha: string;
  observer_run_id: string;
  observer_notes: string;
  window_days: number | string | null;
  retry_exhausted: boolean | null;
  supabase_response_code: number | string | null;
  head_sha: string | null;
  workflow_name: string | null;
  branch: string | null;
  source: string | null;
}

/** Whole seconds print as the files write them (`…:00Z`); milliseconds are kept when present. */
const trimMillis = (v: string) => (v.endsWith(".000Z") ? `${v.slice(0, -5)}Z` : v);

/** One row as the run record it mirrors: optional fields the row leaves null are absent. */
export function toRunRecord(row: RunRow): RunRecord {
  const run: RunRecord = {
    run_id: row.run_id,
    trigger_mode: row.trigger_mode,
    status: row.status as RunStatus,
    sha_parity: row.sha_parity,
    retries: Number(row.retries),
    retry_origin: row.retry_origin,
    run_started_at_utc: trimMillis(row.run_started_at_utc),
    run_completed_at_utc: trimMillis(row.run_completed_at_utc),
    duration_sec: Number(row.duration_sec),
    prov_sha: row.prov_sha,
    computed_sha: row.computed_sha,
    observer_run_id: row.observer_run_id,
    observer_notes: row.observer_notes,
  };
  if (row.window_days !== null) run.window_days = Number(row.window_days);
  if (row.retry_exhausted !== null) run.retry_exhausted = row.retry_exhausted;
  if (row.supabase_response_code !== null) run.supabase_response_code = Number(row.supabase_response_code);
  if (row.head_sha !== null) run.head_sha = row.head_sha;
  if (row.workflow_name !== null) run.workflow_name = row.workflow_name;
  if (row.branch !== null) run.branch = row.branch;
  if (row.source === "manual" || row.source === "auto") run.source = row.source;
  return run;
}

/**
 * A run with its row version (Postgres's xmin: every write of a row gives it a new one), so a
 * reader holding the runs can later ask which rows changed without reading them all.
 */
export interface VersionedRun {
  run: RunRecord;
  version: string;
}

const versioned = (rows: readonly (RunRow & { row_version: string })[]): VersionedRun[] =>
  rows.map((row) => ({ run: toRunRecord(row), version: row.row_version }));

/** Every run of the event. */
export async function loadEventRuns(db: Queryable, event: string): Promise<VersionedRun[]> {
  const { rows } = await db.query<RunRow & { row_version: string }>(
    `select ${COLUMNS}, xmin::text as row_version from runs where event = $1`,
    [event],
  );
  return versioned(rows);
}

/** The named runs of the event that still exist (a run absent from the answer was deleted). */
export async function loadEventRunsById(
  db: Queryable,
  event: string,
  runIds: readonly string[],
): Promise<VersionedRun[]> {
  if (runIds.length === 0) return [];
  const { rows } = await db.query<RunRow & { row_version: string }>(
    `select ${COLUMNS}, xmin::text as row_version from runs where event = $1 and run_id = any($2::text[])`,
    [event, runIds],
  );
  return versioned(rows);
}

/** The version of every run of the event: a cheap read (two short columns) to find what changed. */
export async function loadRunVersions(db: Queryable, event: string): Promise<Map<string, string>> {
  const { rows } = await db.query<{ run_id: string; row_version: string }>(
    "select run_id, xmin::text as row_version from runs where event = $1",
    [event],
  );
  return new Map(rows.map((r) => [r.run_id, r.row_version]));
}
