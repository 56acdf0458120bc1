import { z } from "zod";
import type { EventPaths } from "../config/paths";
import type { Settings } from "../config/settings";
import { defineAction } from "../control/action";
import { metricsRowSchema } from "./metrics-row";
import {
  UpsertHaltedError,
  upsertMetricsRows,
  type UpsertDecision,
  type UpsertResult,
} from "./metrics-upsert";

/**
 * The metrics upsert as an action (DESIGN §2): role check, kill switch, validation, audit log,
 * and a signal an engagement aborts. Where it writes (settings, event folder for the automatic
 * trip) is bound by the CLI or the server, never sent by a browser.
 */
export interface MetricsUpsertEnv {
  settings: Settings;
  paths: EventPaths;
  fetchImpl?: typeof fetch;
  onDecision?: (record: UpsertDecision) => void;
  timeoutMs?: number;
}

export interface MetricsUpsertOutput {
  results: UpsertResult[];
  /** Set when the kill switch stopped the batch: the rows after `results` were not sent. */
  halted: string | null;
}

export const metricsUpsertInputSchema = z.object({
  rows: z.array(metricsRowSchema).min(1, "at least one metrics row").max(1000, "at most 1000 rows"),
});

export function upsertMetricsAction(env: MetricsUpsertEnv) {
  return defineAction({
    name: "metrics.upsert",
    permission: "metrics.upsert",
    schema: metricsUpsertInputSchema,
    run: async ({ input, db, signal }): Promise<MetricsUpsertOutput> => {
      try {
        const results = await upsertMetricsRows(input.rows, {
          settings: env.settings,
          db,
          signal,
          fetchImpl: env.fetchImpl,
          onDecision: env.onDecision,
          timeoutMs: env.timeoutMs,
          tripOnStreak: { paths: env.paths },
        });
        return { results, halted: null };
      } catch (error) {
        // Rows already upserted belong in the audit log even when the switch stops the rest.
        if (error instanceof UpsertHaltedError && error.results.length > 0) {
          return { results: error.results, halted: error.message };
        }
        throw error;
      }
    },
    audit: (input, output) => ({
      target: output.results
        .map((r) => r.runId)
        .join(",")
        .slice(0, 200),
      detail: {
        table: env.settings.SUPABASE_METRICS_TABLE,
        rows: input.rows.length,
        halted: output.halted !== null,
        results: output.results.map((r) => ({
          run_id: r.runId,
          outcome: r.outcome,
          response_code: r.responseCode,
          attempts: r.attempts,
          retries_exhausted: r.retryExhausted,
          tripped: r.tripped,
        })),
      },
    }),
  });
}
