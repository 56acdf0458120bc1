/** A valid run record for tests (DESIGN §3), as plain JSON; override any field. */
export function makeRunRecord(
  runId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    run_id: runId,
    trigger_mode: "manual_dispatch",
    status: "success",
    sha_parity: true,
    retries: 0,
    retry_origin: null,
    run_started_at_utc: "2025-11-14T09:00:00Z",
    run_completed_at_utc: "2025-11-14T09:04:00Z",
    duration_sec: 240,
    prov_sha: "",
    computed_sha: "",
    observer_run_id: "obs-1",
    observer_notes: "",
    ...overrides,
  };
}
