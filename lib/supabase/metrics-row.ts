import { z } from "zod";
import { describeIssues } from "../control/action";
import { InputError } from "../errors";
import { RUN_STATUSES } from "../evidence/run-record";
import { utcTimestamp } from "../evidence/utc-timestamp";
import { hasSecretShape, hasUrl } from "../notify/patterns";

/**
 * One row of phase4_audit_metrics (supabase/migrations/…_control.sql), as upserted to Supabase
 * keyed by run_id. The same names on the wire, in SQL and in the CLI's flags.
 */
const hexSha256OrEmpty = z
  .string()
  .regex(/^([0-9a-fA-F]{64})?$/, "a hex SHA-256 (64 characters) or an empty string");

export const metricsRowSchema = z
  .object({
    run_id: z.string().min(1, "a non-empty run id").max(100, "a run id of at most 100 characters"),
    status: z.enum(RUN_STATUSES),
    duration_sec: z.number().positive("a number > 0"),
    // A short word (pass, warn, fail…): it is printed and stored, so no tokens and no URLs.
    validator_verdict: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, "a short word of letters, digits, '_', '.', ':' or '-'")
      .refine((v) => !hasSecretShape(v) && !hasUrl(v), "a verdict without tokens or URLs"),
    prov_sha: hexSha256OrEmpty,
    computed_sha: hexSha256OrEmpty,
    created_at: utcTimestamp,
    observed_at: utcTimestamp,
    retries: z.number().int("an integer").min(0, "an integer ≥ 0").default(0),
    retries_exhausted: z.boolean().default(false),
    window_days: z.number().int("an integer").positive("an integer ≥ 1").nullable().default(null),
    supabase_response_code: z.number().int().min(100).max(599).nullable().default(null),
  })
  .strict();

/** A validated row (defaults applied): what is sent. */
export type MetricsRow = z.output<typeof metricsRowSchema>;
/** What a caller may hand in: retries, retries_exhausted, window_days and the code may be left out. */
export type MetricsRowInput = z.input<typeof metricsRowSchema>;

/** Validates rows, naming the row (1-based), its run_id, the field and what was expected. */
export function parseMetricsRows(rows: readonly unknown[]): MetricsRow[] {
  return rows.map((row, index) => {
    const parsed = metricsRowSchema.safeParse(row);
    if (parsed.success) return parsed.data;
    const runId = (row as { run_id?: unknown } | null)?.run_id;
    const which = `metrics row ${index + 1}${typeof runId === "string" ? ` (run_id ${runId})` : ""}`;
    throw new InputError(`${which}: ${describeIssues(parsed.error.issues, "row")}`, { cause: parsed.error });
  });
}
