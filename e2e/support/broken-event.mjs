// Writes the e2e-broken event: a RUNS_SUMMARY.json with one bad record and a _manifest.json with
// a repeated key, so the error states render against real files (see e2e/error-states.spec.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const dir = path.join(
  process.env.AUDIT_REPORTS_ROOT ?? "test-results/e2e-reports",
  process.env.AUDIT_EVENT ?? "e2e-broken",
);
mkdirSync(dir, { recursive: true });

const good = {
  run_id: "run-good",
  trigger_mode: "scheduled",
  status: "success",
  sha_parity: true,
  retries: 0,
  retry_origin: null,
  run_started_at_utc: "2025-11-14T00:00:00Z",
  run_completed_at_utc: "2025-11-14T00:05:00Z",
  duration_sec: 300,
  prov_sha: "",
  computed_sha: "",
  observer_run_id: "obs-1",
  observer_notes: "",
};
const bad = { ...good, run_id: "run-bad", status: "exploded" };
writeFileSync(path.join(dir, "RUNS_SUMMARY.json"), `${JSON.stringify([good, bad], null, 2)}\n`);

writeFileSync(
  path.join(dir, "_manifest.json"),
  `{
  "generated_at_utc": "2025-11-14T00:00:00Z",
  "entries": [
    {
      "run_id": "run-good",
      "artifact_path": "artifacts/run-good/raw/a.zip",
      "evidence_type": "artifact",
      "recorded_at_utc": "2025-11-14T00:06:00Z",
      "sha_parity": true,
      "notes": "first",
      "notes": "second"
    }
  ]
}
`,
);
