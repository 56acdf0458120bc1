import { z } from "zod";
import { utcTimestamp } from "../evidence/utc-timestamp";

/**
 * The collection's inputs, parsed once at the edge (CLI flags, dashboard forms) by the action
 * client. Globs use path.matchesGlob: `*` within a name, `**` across folders.
 */
const glob = (what: string) => z.string().min(1, `a glob for ${what}`).max(200, "at most 200 characters");

export const collectOptionsSchema = z.object({
  dryRun: z.boolean().default(false),
  /** Which artifacts (by GitHub artifact name) to collect. */
  artifactPattern: glob("artifact names").default("*"),
  /** Which extracted file is the provenance (by file name); content detection when none matches. */
  metadataPattern: glob("provenance file names").default("provenance-*.json"),
  observerRunId: z.string().max(100, "at most 100 characters").optional(),
  observerNotes: z.string().max(2000, "at most 2000 characters").optional(),
  tag: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, "1-64 letters, digits, '.', '_', ':' or '-'")
    .optional(),
  /** Overrides trigger_mode (otherwise from GitHub's event; `retry` for a re-run attempt). */
  runMode: z
    .string()
    .regex(/^[a-z_]{1,64}$/, "manual_dispatch, scheduled, retry or an event name")
    .optional(),
  retries: z.number().int("an integer").min(0, "an integer ≥ 0").max(100).optional(),
  retryOrigin: z.string().min(1, "a non-empty origin").max(100).optional(),
  /** Recorded as window_days on the run record. */
  windowDays: z.number().int("an integer").min(1).max(366).optional(),
});

export const collectRunInputSchema = collectOptionsSchema.extend({
  runId: z.string().regex(/^\d{1,20}$/, "a GitHub run id (digits)"),
});

export const collectWindowInputSchema = collectOptionsSchema.extend({
  windowDays: z.number().int("an integer").min(1, "at least 1 day").max(90, "at most 90 days"),
  /** A workflow file name or id; every workflow when omitted. */
  workflow: z.string().min(1).max(200).optional(),
  concurrency: z.number().int("an integer").min(1, "at least 1").max(16, "at most 16").default(4),
  /** The window's end; now when omitted. */
  asOf: utcTimestamp.optional(),
});

export type CollectOptions = z.output<typeof collectOptionsSchema>;
export type CollectRunInput = z.input<typeof collectRunInputSchema>;
export type CollectRunOptions = z.output<typeof collectRunInputSchema>;
export type CollectWindowInput = z.input<typeof collectWindowInputSchema>;
export type CollectWindowOptions = z.output<typeof collectWindowInputSchema>;
