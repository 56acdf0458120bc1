import type { EventPaths } from "../config/paths";
import type { Settings } from "../config/settings";
import { describeEngagement, getKillSwitchStatus } from "../control/kill-switch";
import type { Database } from "../db";
import { InputError, KillSwitchEngagedError } from "../errors";
import { executeWithRetry, type DecisionRecord, type ExecuteOptions, type OperationResponse } from "../retry";
import { parseMetricsRows, type MetricsRowInput } from "./metrics-row";
import {
  createAnswerRecorder,
  createSupabaseRestClient,
  requireSupabaseConfig,
  toConnectionFailure,
} from "./rest-client";
import { tripOnUpsertStreak } from "./upsert-trip";

export type { MetricsRow, MetricsRowInput } from "./metrics-row";

/** One decision of the retry policy for one row: status code and decision, never a body. */
export type UpsertDecision = DecisionRecord & { runId: string };

export interface UpsertResult {
  runId: string;
  /** success: 2xx or 409; exhausted: retries used up (exit 75); refused: 403/422/other 4xx (exit 78). */
  outcome: "success" | "exhausted" | "refused";
  /** The last answer's status; null when the last try got no response (reset, timeout). */
  responseCode: number | null;
  attempts: number;
  retryExhausted: boolean;
  /** This row's answer completed a 5xx streak and engaged the kill switch. */
  tripped: boolean;
}

export interface UpsertOptions {
  settings: Settings;
  /** Where each attempt is recorded (retry_history) and the kill switch is read. */
  db?: Database;
  /** The kill switch's signal: aborting cuts a wait or a request short. */
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
  onDecision?: (record: UpsertDecision) => void;
  /** Engage the kill switch on 3 consecutive 5xx within 5 minutes (needs db). */
  tripOnStreak?: { paths: EventPaths };
  /** Per request; past it the request counts as a timeout (a 5xx to the policy). */
  timeoutMs?: number;
  /** The executor's wait (tests observe the scaled waits without sleeping). */
  sleep?: ExecuteOptions["sleep"];
}

/** The kill switch stopped the upsert; `results` holds the rows finished before it. */
export class UpsertHaltedError extends KillSwitchEngagedError {
  constructor(
    message: string,
    readonly results: UpsertResult[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Upserts rows into SUPABASE_METRICS_TABLE keyed by run_id (DESIGN §5, §7), one request per row
 * under the one retry policy. Every attempt is recorded in retry_history; after a row, a streak
 * of 5xx answers trips the kill switch, and the rows left are refused.
 */
export async function upsertMetricsRows(
  rows: readonly MetricsRowInput[],
  opts: UpsertOptions,
): Promise<UpsertResult[]> {
  const { settings, db, signal } = opts;
  const config = requireSupabaseConfig(settings);
  if (opts.tripOnStreak && !db) throw new InputError("upsertMetricsRows: tripOnStreak needs db");
  const valid = parseMetricsRows(rows);
  const recorder = createAnswerRecorder(opts.fetchImpl ?? fetch, opts.timeoutMs);
  const client = createSupabaseRestClient(config, recorder.fetch);
  const table = settings.SUPABASE_METRICS_TABLE;
  const results: UpsertResult[] = [];

  for (const row of valid) {
    if (db) await throwIfHalted(db, results, valid.length);
    // History rows are written in order, each before the next attempt goes out.
    let history: Promise<void> = Promise.resolve();
    let historyError: unknown;
    const historyWritten = async () => {
      await history;
      if (historyError !== undefined)
        throw new Error("retry_history could not be written", { cause: historyError });
    };
    const operation = async (): Promise<OperationResponse> => {
      await historyWritten();
      recorder.take();
      const query = client.from(table).upsert(row, { onConflict: "run_id" });
      await (signal ? query.abortSignal(signal) : query);
      const answer = recorder.take();
      if (!answer) throw new Error("supabase-js answered without sending a request");
      if ("error" in answer) throw toConnectionFailure(answer.error);
      return answer.response;
    };
    const onDecision = (record: DecisionRecord) => {
      opts.onDecision?.({ ...record, runId: row.run_id });
      if (!db) return;
      history = history
        .then(() => recordAttempt(db, row.run_id, record))
        .catch((error: unknown) => void (historyError ??= error));
    };
    let outcome;
    try {
      outcome = await executeWithRetry(operation, {
        scale: settings.RETRY_BACKOFF_SCALE,
        signal,
        sleep: opts.sleep,
        onDecision,
      });
    } catch (error) {
      await history;
      if (signal?.aborted && db) throw await haltedError(db, results, valid.length, error);
      throw error;
    }
    await historyWritten();
    const trip =
      opts.tripOnStreak && db ? await tripOnUpsertStreak({ db, settings, ...opts.tripOnStreak }) : null;
    results.push({
      runId: row.run_id,
      outcome: outcome.outcome,
      responseCode: outcome.lastStatus ?? null,
      attempts: outcome.attempts,
      retryExhausted: outcome.retryExhausted,
      tripped: trip?.tripped === true,
    });
  }
  return results;
}

async function recordAttempt(db: Database, runId: string, record: DecisionRecord): Promise<void> {
  await db.query(
    `insert into retry_history (service, operation, run_id, attempt, status_code, decision, wait_ms)
     values ('supabase', 'upsert', $1, $2, $3, $4, $5)`,
    [runId, record.attempt, record.status ?? null, record.decision.kind, record.waitMs],
  );
}

async function throwIfHalted(db: Database, results: UpsertResult[], total: number): Promise<void> {
  const status = await getKillSwitchStatus(db);
  if (status.state !== "engaged") return;
  throw new UpsertHaltedError(
    `Refused: ${describeEngagement(status)}; ${total - results.length} of ${total} metrics row(s) not upserted. The commander releases it with scripts/phase4-killswitch.sh release.`,
    [...results],
  );
}

/** An abort while the switch is engaged is the kill switch's; any other abort stays what it was. */
async function haltedError(db: Database, results: UpsertResult[], total: number, cause: unknown) {
  const status = await getKillSwitchStatus(db);
  if (status.state !== "engaged") return cause;
  return new UpsertHaltedError(
    `Stopped: ${describeEngagement(status)}; ${total - results.length} of ${total} metrics row(s) not upserted`,
    [...results],
    { cause },
  );
}
