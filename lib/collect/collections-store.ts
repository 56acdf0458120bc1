import type { Queryable } from "../db";
import type { CollectPhase } from "./types";

/**
 * The collections table (supabase/migrations/20251114000500_collections.sql): one row per
 * artifact per collection. The dashboard reads it live; the window collection reads it to skip
 * runs already collected with the same digest; checklist step 4 reads the last dry run.
 */
export interface CollectionRecord {
  id: number;
  event: string;
  runId: string;
  runAttempt: number;
  /** Null when the run had no artifacts (the row records its run record). */
  artifactId: string | null;
  artifactName: string | null;
  zipDigest: string | null;
  size: number | null;
  state: CollectPhase;
  bytes: number;
  total: number | null;
  shaParity: boolean | null;
  artifactPath: string | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  actor: string;
  dryRun: boolean;
}

export interface NewCollection {
  event: string;
  runId: string;
  runAttempt: number;
  artifactId: string | null;
  artifactName: string | null;
  size: number | null;
  actor: string;
  dryRun: boolean;
  state?: CollectPhase;
}

export type CollectionPatch = Partial<
  Pick<CollectionRecord, "state" | "bytes" | "total" | "zipDigest" | "shaParity" | "artifactPath" | "error">
> & { finished?: boolean };

// Numbers come back as numbers on PGlite and as strings on pg (bigint): cast in SQL, once.
const COLUMNS = `id::float8 as id, event, run_id, run_attempt, artifact_id, artifact_name, zip_digest,
  size::float8 as size, state, bytes::float8 as bytes, total::float8 as total, sha_parity, artifact_path,
  error, started_at, finished_at, actor, dry_run`;

interface Row {
  id: number;
  event: string;
  run_id: string;
  run_attempt: number;
  artifact_id: string | null;
  artifact_name: string | null;
  zip_digest: string | null;
  size: number | null;
  state: CollectPhase;
  bytes: number;
  total: number | null;
  sha_parity: boolean | null;
  artifact_path: string | null;
  error: string | null;
  started_at: Date | string;
  finished_at: Date | string | null;
  actor: string;
  dry_run: boolean;
}

export const isoOrNull = (value: Date | string | null) =>
  value === null ? null : new Date(value).toISOString();

function toRecord(row: Row): CollectionRecord {
  return {
    id: Number(row.id),
    event: row.event,
    runId: row.run_id,
    runAttempt: Number(row.run_attempt),
    artifactId: row.artifact_id,
    artifactName: row.artifact_name,
    zipDigest: row.zip_digest,
    size: row.size === null ? null : Number(row.size),
    state: row.state,
    bytes: Number(row.bytes),
    total: row.total === null ? null : Number(row.total),
    shaParity: row.sha_parity,
    artifactPath: row.artifact_path,
    error: row.error,
    startedAt: new Date(row.started_at).toISOString(),
    finishedAt: isoOrNull(row.finished_at),
    actor: row.actor,
    dryRun: row.dry_run,
  };
}

export async function insertCollection(db: Queryable, row: NewCollection): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `insert into collections (event, run_id, run_attempt, artifact_id, artifact_name, size, total, state,
       actor, dry_run) values ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9) returning id::float8 as id`,
    [
      row.event,
      row.runId,
      row.runAttempt,
      row.artifactId,
      row.artifactName,
      row.size,
      row.state ?? "queued",
      row.actor,
      row.dryRun,
    ],
  );
  return Number(rows[0]?.id);
}

const PATCH_COLUMNS = {
  state: "state",
  bytes: "bytes",
  total: "total",
  zipDigest: "zip_digest",
  shaParity: "sha_parity",
  artifactPath: "artifact_path",
  error: "error",
} as const;

export async function updateCollection(db: Queryable, id: number, patch: CollectionPatch): Promise<void> {
  await updateCollections(db, [id], patch);
}

/** One statement for several rows (a run's artifacts move to comparing, then done, together). */
export async function updateCollections(
  db: Queryable,
  ids: readonly number[],
  patch: CollectionPatch,
): Promise<void> {
  if (ids.length === 0) return;
  const sets: string[] = [];
  const params: unknown[] = [ids];
  for (const [key, column] of Object.entries(PATCH_COLUMNS)) {
    const value = patch[key as keyof typeof PATCH_COLUMNS];
    if (value === undefined) continue;
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  }
  if (patch.finished) sets.push("finished_at = now()");
  if (sets.length === 0) return;
  await db.query(`update collections set ${sets.join(", ")} where id = any($1::bigint[])`, params);
}

/** Ends several rows in one statement, each with its own bytes, zip digest and folder (or none). */
export async function finishCollections(
  db: Queryable,
  rows: readonly { id: number; bytes: number; zipDigest: string | null; artifactPath: string | null }[],
  patch: { state: CollectPhase; shaParity?: boolean | null; error?: string | null },
): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `update collections c set state = $5, sha_parity = $6, error = $7, bytes = v.bytes, zip_digest = v.digest,
        artifact_path = v.path, finished_at = now()
       from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) as v(id, bytes, digest, path)
      where c.id = v.id`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.bytes),
      rows.map((r) => r.zipDigest),
      rows.map((r) => r.artifactPath),
      patch.state,
      patch.shaParity ?? null,
      patch.error ?? null,
    ],
  );
}

/** An event's collections, newest first (at most `limit`), optionally of one run. */
export async function listCollections(
  db: Queryable,
  event: string,
  runId?: string,
  limit = 500,
): Promise<CollectionRecord[]> {
  const { rows } = await db.query<Row>(
    `select ${COLUMNS} from collections where event = $1 and ($2::text is null or run_id = $2)
      order by id desc limit $3`,
    [event, runId ?? null, limit],
  );
  return rows.map(toRecord);
}

/**
 * What a real (not dry-run) collection of this run attempt brought home: artifact id → zip digest
 * of the latest finished row per artifact ("" for the no-artifact row). The window skips a run
 * whose listing matches it.
 */
export async function getCollectedDigests(
  db: Queryable,
  event: string,
  runId: string,
  runAttempt: number,
): Promise<Map<string, string>> {
  const { rows } = await db.query<{ artifact_id: string | null; zip_digest: string | null; state: string }>(
    `select distinct on (coalesce(artifact_id, '')) artifact_id, zip_digest, state from collections
      where event = $1 and run_id = $2 and run_attempt = $3 and not dry_run
        and state in ('done', 'failed', 'refused')
      order by coalesce(artifact_id, ''), id desc`,
    [event, runId, runAttempt],
  );
  return new Map(
    rows.filter((r) => r.state === "done").map((r) => [r.artifact_id ?? "", r.zip_digest ?? ""]),
  );
}

/** The event's last dry-run collection row (checklist step 4), or null. */
export async function getLastDryRun(db: Queryable, event: string): Promise<CollectionRecord | null> {
  const { rows } = await db.query<Row>(
    `select ${COLUMNS} from collections where dry_run and event = $1 order by id desc limit 1`,
    [event],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}
