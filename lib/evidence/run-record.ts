import { z } from "zod";
import { utcTimestamp } from "./utc-timestamp";

/**
 * The run record of RUNS_SUMMARY.json (DESIGN §3). One schema for the CLI import, the collector,
 * the dashboard and the database mirror.
 */
const hexSha256OrEmpty = z
  .string()
  .regex(/^([0-9a-fA-F]{64})?$/, "a hex SHA-256 (64 characters) or an empty string");

export const RUN_STATUSES = ["success", "failure", "cancelled"] as const;
export const KNOWN_TRIGGER_MODES = ["manual_dispatch", "scheduled", "retry"] as const;

export const runRecordSchema = z
  .object({
    run_id: z.string().min(1, "a non-empty run id").max(100),
    // manual_dispatch | scheduled | retry | any other GitHub event name
    trigger_mode: z.string().regex(/^[a-z_]{1,64}$/, "manual_dispatch, scheduled, retry or an event name"),
    status: z.enum(RUN_STATUSES),
    sha_parity: z.boolean(),
    retries: z.number().int("an integer").min(0, "an integer ≥ 0"),
    retry_origin: z.string().nullable(),
    run_started_at_utc: utcTimestamp,
    run_completed_at_utc: utcTimestamp,
    duration_sec: z.number().positive("a number > 0"),
    prov_sha: hexSha256OrEmpty,
    computed_sha: hexSha256OrEmpty,
    observer_run_id: z.string(),
    observer_notes: z.string(),
    window_days: z.number().int().positive().optional(),
    retry_exhausted: z.boolean().optional(),
    supabase_response_code: z.number().int().min(100).max(599).nullable().optional(),
    head_sha: z.string().optional(),
    workflow_name: z.string().optional(),
    branch: z.string().optional(),
    source: z.enum(["manual", "auto"]).optional(),
  })
  .superRefine((run, ctx) => {
    if (Date.parse(run.run_started_at_utc) > Date.parse(run.run_completed_at_utc)) {
      ctx.addIssue({
        code: "custom",
        path: ["run_completed_at_utc"],
        message: "a time at or after run_started_at_utc",
      });
    }
    if (!run.sha_parity && run.observer_notes.trim() === "") {
      ctx.addIssue({
        code: "custom",
        path: ["observer_notes"],
        message: "a reason when sha_parity is false",
      });
    }
  });

export type RunRecord = z.infer<typeof runRecordSchema>;
export type RunStatus = (typeof RUN_STATUSES)[number];
