import { describeIssues } from "../../control/action";
import { InputError } from "../../errors";
import { metricsRowSchema, type MetricsRow } from "../../supabase/metrics-row";
import { requireFlag } from "../command";

/** The metrics row from supabase-upsert's flags; a bad value is named by its flag. */
export interface RowFlags {
  "run-id"?: string;
  status?: string;
  duration?: string;
  "validator-verdict"?: string;
  "prov-sha"?: string;
  "computed-sha"?: string;
  "created-at"?: string;
  "observed-at"?: string;
  retries?: string;
  "retries-exhausted"?: string;
  "window-days"?: string;
}

const FLAG_OF_FIELD: Record<string, string> = {
  run_id: "--run-id",
  status: "--status",
  duration_sec: "--duration",
  validator_verdict: "--validator-verdict",
  prov_sha: "--prov-sha",
  computed_sha: "--computed-sha",
  created_at: "--created-at",
  observed_at: "--observed-at",
  retries: "--retries",
  retries_exhausted: "--retries-exhausted",
  window_days: "--window-days",
};

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new InputError(`--${flag}: expected an integer ≥ 0 (got '${value}')`);
  return Number(value);
}

function seconds(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) {
    throw new InputError(`--duration: expected a number of seconds > 0 (got '${value}')`);
  }
  return n;
}

function bool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === "true" || value === "false") return value === "true";
  throw new InputError(`--retries-exhausted: expected true or false (got '${value}')`);
}

/** A SHA flag may be given empty (no provenance digest), but must be given. */
function sha(value: string | undefined, flag: string): string {
  if (value === undefined)
    throw new InputError(`--${flag} is required: a hex SHA-256 or '' when there is none`);
  return value;
}

export function rowFromFlags(values: RowFlags): MetricsRow {
  const candidate = {
    run_id: requireFlag(values["run-id"], "run-id", "the run id the metrics belong to"),
    status: requireFlag(values.status, "status", "success, failure or cancelled"),
    duration_sec: seconds(requireFlag(values.duration, "duration", "the run's duration in seconds")),
    validator_verdict: requireFlag(
      values["validator-verdict"],
      "validator-verdict",
      "a short word, e.g. pass",
    ),
    prov_sha: sha(values["prov-sha"], "prov-sha"),
    computed_sha: sha(values["computed-sha"], "computed-sha"),
    created_at: requireFlag(values["created-at"], "created-at", "an ISO 8601 UTC timestamp"),
    observed_at: requireFlag(values["observed-at"], "observed-at", "an ISO 8601 UTC timestamp"),
    retries: integer(values.retries, "retries"),
    retries_exhausted: bool(values["retries-exhausted"]),
    window_days: integer(values["window-days"], "window-days"),
  };
  const parsed = metricsRowSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    ...issue,
    path: [FLAG_OF_FIELD[String(issue.path[0])] ?? String(issue.path[0])],
  }));
  throw new InputError(describeIssues(issues), { cause: parsed.error });
}
