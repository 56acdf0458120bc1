import type { RunRecord } from "../evidence/run-record";
import type { ManifestEntry } from "../evidence/manifest-entry";
import { buildArtifact, buildProvenance, PROVENANCE_KINDS, sha256Hex, type Subject } from "./evidence";
import { EVENT_START_MS, planRuns, type PlannedRun } from "./plan";
import { createPrng } from "./prng";

/**
 * The whole sample event in memory (pure, deterministic for one seed): run records, the files
 * under artifacts/<run_id>/raw/ and their manifest entries. generate.ts writes it out.
 */

export interface SampleFile {
  /** Relative to the event folder, forward slashes. */
  path: string;
  content: Buffer | string;
}

export interface SampleEvent {
  runs: RunRecord[];
  files: SampleFile[];
  /** Entries with artifact_path relative to the event folder; generate.ts prefixes the folder. */
  entries: ManifestEntry[];
}

const PARITY_REASONS = [
  "provenance subject digest differs: artifact rebuilt after attestation",
  "provenance taken from the previous run attempt",
  "artifact re-uploaded by a re-run; attestation not regenerated",
  "subject digest belongs to an older release candidate",
];

const CAUSE_NOTES = {
  "5xx": "artifact download returned HTTP 503",
  timeout: "connection reset while uploading metrics (treated as 5xx)",
  "429": "GitHub API answered HTTP 429 (rate limited)",
  "422": "Supabase upsert refused with HTTP 422 (input error, not retried)",
} as const;

const ARTIFACT_NAMES = ["audit-report.json", "kpi-snapshot.json", "collect-summary.json"];
const KIND_LABELS = {
  "statement-v0.1": "in-toto Statement v0.1",
  "statement-v1": "in-toto Statement v1",
  "dsse-envelope": "DSSE envelope",
  "sigstore-bundle-v0.3": "Sigstore bundle v0.3",
} as const;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function runNotes(run: PlannedRun, parityReason: string | null): string {
  const parts: string[] = [];
  if (run.trigger === "manual_dispatch") parts.push("Phase 3 manual dispatch");
  if (run.retries > 0)
    parts.push(`retry_attempt=${run.retries} (${run.origin?.cause === "429" ? "429" : "5xx"} detected)`);
  if (run.lateHeal) parts.push("re-run the next day after a runner outage");
  if (run.exhausted) parts.push("retry_exhausted=true after 3 retries");
  if (run.status === "failure" && run.cause) parts.push(CAUSE_NOTES[run.cause]);
  if (run.status === "cancelled") parts.push("cancelled: superseded by a newer run in the concurrency group");
  if (parityReason) parts.push(`sha_parity=false: ${parityReason}`);
  return parts.join("; ");
}

export function buildSampleEvent(options: { runs: number; seed: number }): SampleEvent {
  const rng = createPrng(options.seed);
  const plan = planRuns(rng, options.runs);
  const daySha = Array.from({ length: 9 }, () => rng.hex(40));
  const ids = new Map<PlannedRun, string>();
  let nextId = 19_421_000_000;
  for (const run of plan) ids.set(run, String((nextId += rng.int(1, 37))));
  const failing = new Set(plan.filter(() => rng.chance(0.05)));
  // Cover the fallback of DESIGN §4 too: a multi-subject provenance where nothing matches.
  const isMulti = (i: number) => i % 9 === 4;
  const multiFailing = plan.find((_, i) => isMulti(i) && i >= plan.length / 3);
  if (multiFailing && plan.length >= 20) failing.add(multiFailing);

  const runs: RunRecord[] = [];
  const files: SampleFile[] = [];
  const entries: ManifestEntry[] = [];
  plan.forEach((run, i) => {
    const runId = ids.get(run) ?? "";
    const startedAt = iso(run.startMs);
    const completedAt = iso(run.startMs + run.durationSec * 1000);
    const origin = run.origin ?? run;
    // Manual runs test the release commit; scheduled runs (and their retries) the day's head.
    const day =
      origin.trigger === "manual_dispatch" ? -1 : Math.floor((origin.startMs - EVENT_START_MS) / 86_400_000);
    const headSha = daySha[day + 1] ?? daySha[0] ?? "";
    const parityReason = failing.has(run) ? rng.pick(PARITY_REASONS) : null;

    const artifactName = rng.pick(ARTIFACT_NAMES);
    const artifact = buildArtifact(rng, runId, startedAt, run.status);
    const computed = sha256Hex(artifact);
    const provSha = parityReason
      ? sha256Hex(Buffer.concat([artifact, Buffer.from("# rebuilt\n")]))
      : computed;
    // On a mismatch the comparison reports the subject named like the artifact: keep that name exact.
    const target: Subject = {
      name: parityReason || i % 3 === 0 ? artifactName : `dist/${artifactName}`,
      sha256: provSha,
    };
    const multi = isMulti(i);
    const subjects = multi
      ? [
          { name: "sbom.spdx.json", sha256: rng.hex(64) },
          target,
          { name: "checksums.txt", sha256: rng.hex(64) },
        ]
      : [target];
    const kind = PROVENANCE_KINDS[i % PROVENANCE_KINDS.length] ?? "statement-v1";
    const provenance = buildProvenance(rng, kind, subjects, {
      artifactName,
      uppercase: i % 13 === 6,
      alternateName: i % 8 >= 4,
      run: { runId, headSha, startedAt, completedAt },
    });
    const raw = `artifacts/${runId}/raw`;
    files.push(
      { path: `${raw}/${artifactName}`, content: artifact },
      { path: `${raw}/${provenance.fileName}`, content: provenance.text },
    );

    runs.push({
      run_id: runId,
      trigger_mode: run.trigger,
      status: run.status,
      sha_parity: parityReason === null,
      retries: run.retries,
      retry_origin: run.origin ? (ids.get(run.origin) ?? null) : null,
      run_started_at_utc: startedAt,
      run_completed_at_utc: completedAt,
      duration_sec: run.durationSec,
      prov_sha: provSha,
      computed_sha: computed,
      observer_run_id: `obs-${completedAt.slice(0, 10).replace(/-/g, "")}`,
      observer_notes: runNotes(run, parityReason),
      window_days: 7,
      retry_exhausted: run.exhausted,
      supabase_response_code:
        run.status === "cancelled" ? null : run.retries > 1 && rng.chance(0.5) ? 409 : 201,
      head_sha: headSha,
      workflow_name: run.trigger === "manual_dispatch" ? "phase3-manual-dispatch" : "phase4-auto-audit",
      branch: "main",
      source: run.trigger === "manual_dispatch" ? "manual" : "auto",
    });
    const recordedAt = iso(run.startMs + run.durationSec * 1000 + rng.int(30, 180) * 1000);
    const parity = parityReason === null;
    const provenanceNote = `${KIND_LABELS[kind]}${multi ? ", 3 subjects, match is the 2nd" : ""}; ${parity ? "sha_parity=true" : `sha_parity=false: ${parityReason}`}`;
    entries.push(
      {
        run_id: runId,
        artifact_path: `${raw}/${artifactName}`,
        evidence_type: "artifact",
        recorded_at_utc: recordedAt,
        sha_parity: parity,
        notes: `${artifactName}, ${artifact.length} bytes`,
      },
      {
        run_id: runId,
        artifact_path: `${raw}/${provenance.fileName}`,
        evidence_type: "provenance",
        recorded_at_utc: recordedAt,
        sha_parity: parity,
        notes: provenanceNote,
      },
    );
  });
  return { runs, files, entries };
}
