import { createHash } from "node:crypto";
import type { RunRecord } from "../evidence/run-record";
import {
  acquireMirrorLease,
  releaseMirrorLease,
  renewMirrorLease,
  type MirrorState,
} from "./runs-mirror-lease";
import { encodeChunk, encodeRun, fingerprintRun, insertStatement, upsertStatement } from "./runs-mirror-rows";
import { textStatements, type TextStatement } from "./text-statements";
import type { Database, Queryable } from "./types";

/**
 * The `runs` table mirrors RUNS_SUMMARY.json (DESIGN §9): mirrorRuns makes an event's rows equal
 * to the file's runs. It must stay cheap at 100,000 runs:
 * - an unchanged file (same content digest as last time) costs one lookup;
 * - a changed file writes only the runs whose fingerprint changed and deletes the runs gone;
 * - the first mirror of an event (or one whose bookkeeping is missing) replaces all its rows.
 * Writes go in batches of `chunkSize` runs, one transaction each: the embedded database serves
 * every process through one session, and a single transaction of 100,000 rows would hold all of
 * them (the dashboard included) for seconds. One mirror of an event at a time holds the lease;
 * a mirror of several batches marks the bookkeeping unknown first and writes it back with its last
 * batch, so a mirror cut short leaves the next one to start over rather than trust stale
 * fingerprints. A mirror of one batch is a single transaction.
 */
export interface MirrorOptions {
  /** The source file's content digest (e.g. sha256 of RUNS_SUMMARY.json); computed from the runs when absent. */
  digest?: string;
  /** Runs per statement and transaction (tests use small chunks to cross their boundaries). */
  chunkSize?: number;
}

export interface MirrorResult {
  event: string;
  mode: "unchanged" | "full" | "diff";
  /** Rows inserted or replaced. */
  written: number;
  deleted: number;
  total: number;
  elapsedMs: number;
}

const DEFAULT_CHUNK = 5_000;

type Batch = (tx: Queryable) => Promise<number>;

export async function mirrorRuns(
  db: Database,
  event: string,
  runs: readonly RunRecord[],
  options: MirrorOptions = {},
): Promise<MirrorResult> {
  const started = performance.now();
  const done = (mode: MirrorResult["mode"], written: number, deleted: number): MirrorResult => ({
    event,
    mode,
    written,
    deleted,
    total: runs.length,
    elapsedMs: Math.round(performance.now() - started),
  });
  const sql = textStatements(db);
  const unchanged = (state: MirrorState | null, digest: string) =>
    state !== null &&
    state.fingerprints !== null &&
    state.digest === digest &&
    state.run_count === runs.length;

  // A cheap look first: the common case takes no lease and writes nothing.
  if (options.digest !== undefined && unchanged(await readState(db, sql, event), options.digest))
    return done("unchanged", 0, 0);

  const fingerprints = new Map<string, string>();
  for (const run of runs) fingerprints.set(run.run_id, fingerprintRun(run));
  const digest = options.digest ?? digestOf(fingerprints);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;

  const lease = await acquireMirrorLease(db, sql, event);
  try {
    if (unchanged(lease.state, digest)) {
      await releaseMirrorLease(db, sql, event, lease.token);
      return done("unchanged", 0, 0);
    }
    const previous = lease.state.fingerprints === null ? null : parseFingerprints(lease.state.fingerprints);
    const changed = previous
      ? runs.filter((r) => previous.get(r.run_id) !== fingerprints.get(r.run_id))
      : runs;
    const batches: Batch[] = [];
    if (previous) {
      const gone = [...previous.keys()].filter((id) => !fingerprints.has(id));
      for (let i = 0; i < gone.length; i += chunkSize) {
        const ids = JSON.stringify(gone.slice(i, i + chunkSize));
        batches.push((tx) =>
          count(
            tx,
            sql,
            "delete from runs where event = $1 and run_id in (select json_array_elements_text($2::json))",
            [event, ids],
          ),
        );
      }
    } else {
      // No bookkeeping: whatever rows the event has are of unknown age; start again from the file.
      batches.push((tx) => count(tx, sql, "delete from runs where event = $1", [event]));
    }
    const writeStatement = previous ? upsertStatement : insertStatement;
    for (let i = 0; i < changed.length; i += chunkSize) {
      const slice = changed.slice(i, i + chunkSize);
      batches.push(async (tx) => {
        let nulls = 0;
        const lines = slice.map((run) => {
          const encoded = encodeRun(run);
          nulls += encoded.nulls;
          return encoded.line;
        });
        const chunk = encodeChunk(slice, lines, nulls);
        await sql(tx, writeStatement(chunk.select), [event, chunk.payload]);
        return 0;
      });
    }

    let deleted = 0;
    const many = batches.length > 1;
    for (let i = 0; i < Math.max(batches.length, 1); i++) {
      const last = i >= batches.length - 1;
      await db.transaction(async (tx) => {
        await renewMirrorLease(tx, sql, event, lease.token);
        if (i === 0 && many)
          await sql(tx, "update runs_mirror_state set fingerprints = null where event = $1", [event]);
        deleted += (await batches[i]?.(tx)) ?? 0;
        if (last) await writeState(tx, sql, event, { digest, runs: runs.length, fingerprints });
      });
    }
    return done(previous ? "diff" : "full", changed.length, deleted);
  } catch (error) {
    await releaseMirrorLease(db, sql, event, lease.token).catch(() => undefined);
    throw error;
  }
}

async function count(
  tx: Queryable,
  sql: TextStatement,
  statement: string,
  params: string[],
): Promise<number> {
  const { rows } = await sql<{ n: number }>(
    tx,
    `with d as (${statement} returning 1) select count(*)::int as n from d`,
    params,
  );
  return rows[0]?.n ?? 0;
}

/** The bookkeeping of a finished mirror, and the lease given back, in its last transaction. */
async function writeState(
  tx: Queryable,
  sql: TextStatement,
  event: string,
  state: { digest: string; runs: number; fingerprints: Map<string, string> },
): Promise<void> {
  await sql(
    tx,
    `update runs_mirror_state set digest = $2, run_count = $3::integer, fingerprints = $4, mirrored_at = now(),
       lease_token = null, lease_until = null
     where event = $1`,
    [event, state.digest, String(state.runs), JSON.stringify(Object.fromEntries(state.fingerprints))],
  );
}

async function readState(db: Queryable, sql: TextStatement, event: string): Promise<MirrorState | null> {
  const { rows } = await sql<MirrorState>(
    db,
    "select digest, run_count, fingerprints from runs_mirror_state where event = $1",
    [event],
  );
  return rows[0] ?? null;
}

/** Whether the event's runs were last mirrored from a file with this digest (so it was validated). */
export async function isMirroredDigest(db: Database, event: string, digest: string): Promise<boolean> {
  const state = await readState(db, textStatements(db), event);
  return state !== null && state.fingerprints !== null && state.digest === digest;
}

function parseFingerprints(text: string): Map<string, string> | null {
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
    return new Map(Object.entries(value as Record<string, string>));
  } catch {
    return null; // unreadable bookkeeping: a full mirror rebuilds it
  }
}

function digestOf(fingerprints: Map<string, string>): string {
  const sha = createHash("sha256");
  for (const [id, fingerprint] of fingerprints) sha.update(`${id}\u001f${fingerprint}\u001e`);
  return `runs:${sha.digest("hex")}`;
}
