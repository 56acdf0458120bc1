import type { EventPaths } from "../config/paths";
import type { Settings } from "../config/settings";
import type { ExitCode } from "../errors";
import type { ManifestEntry } from "../evidence/manifest-entry";
import type { RunRecord } from "../evidence/run-record";

/** Where one artifact's collection stands; the same words as collections.state in the database. */
export const COLLECT_PHASES = [
  "queued",
  "downloading",
  "extracting",
  "comparing",
  "done",
  "failed",
  "refused",
] as const;
export type CollectPhase = (typeof COLLECT_PHASES)[number];

/** One progress event: the CLI prints it (throttled) on stderr, the dashboard stores it. */
export interface CollectProgress {
  runId: string;
  /** The artifact's name as GitHub lists it. */
  artifact: string;
  bytes: number;
  /** The zip's size when known. */
  total: number | null;
  /** 0–100 when the total is known. */
  percent: number | null;
  phase: CollectPhase;
}

export type OnCollectProgress = (progress: CollectProgress) => void;

/** What a collection needs besides its input; the CLI and the dashboard bind it per call. */
export interface CollectEnv {
  settings: Settings;
  paths: EventPaths;
  /** Tests point GitHub calls and downloads at a local server through it. */
  fetchImpl?: typeof fetch;
  onProgress?: OnCollectProgress;
  /** Masked lines: status codes and retry decisions (stderr on the CLI). */
  log?: (line: string) => void;
  now?: () => Date;
}

export interface ArtifactOutcome {
  artifactId: string;
  name: string;
  state: "done" | "failed" | "refused";
  /** Bytes of the zip as downloaded. */
  bytes: number;
  zipDigest: string | null;
  /** The extracted folder relative to the repository root; null in a dry run or on failure. */
  path: string | null;
  files: number;
  /** Set on failure: what went wrong, and the exit code it maps to (78 expired/refused, 75 exhausted). */
  error?: string;
  /** A few words for observer_notes: "expired (HTTP 410)", "digest mismatch", "retries exhausted". */
  summary?: string;
  exitCode?: ExitCode;
  expired?: boolean;
}

export interface ParityOutcome {
  shaParity: boolean;
  provSha: string;
  computedSha: string;
  digestAlg: "sha256" | "sha512";
  /** The subject that matched (or the fallback subject shown when none did); null without provenance. */
  subject: string | null;
  /** Repository-relative paths (as recorded in the manifest); event-folder-relative in a dry run. */
  artifactPath: string | null;
  provenancePath: string | null;
  format: string | null;
  /** Why parity is false, for observer_notes; null when it is true. */
  reason: string | null;
}

export interface RerunDecision {
  healable: boolean;
  because: string;
  /**
   * What was done: requested (this collection asked GitHub), already-done (GitHub answered 409),
   * exhausted (3 re-runs made), not-healable, skipped-dry-run, none (the run did not fail), or
   * failed (reading the jobs or asking for the re-run failed; `because` says how).
   */
  action: "requested" | "already-done" | "exhausted" | "not-healable" | "skipped-dry-run" | "none" | "failed";
  attempt: number | null;
  /** Set when the review failed: the exit code its error maps to. */
  exitCode?: ExitCode;
}

export interface SelfHealReport {
  parity: { attempted: boolean; healed: boolean; because: string } | null;
  rerun: RerunDecision | null;
  /** Set when this collection saw a re-run attempt finish: the chain's heal time. */
  healed: { healSec: number; withinObjective: boolean } | null;
}

export interface CollectRunResult {
  runId: string;
  /** The run record's run_id: the run id, or `<run_id>-attempt-<n>` for a re-run attempt. */
  recordRunId: string;
  runAttempt: number;
  conclusion: string | null;
  dryRun: boolean;
  /** collected: evidence recorded (or would be, in a dry run); skipped: already collected; failed. */
  status: "collected" | "skipped" | "failed";
  artifacts: ArtifactOutcome[];
  parity: ParityOutcome | null;
  /** The record written to RUNS_SUMMARY.json (or that would be, in a dry run). */
  record: RunRecord | null;
  manifestEntries: ManifestEntry[];
  selfHeal: SelfHealReport;
  /** 0 when everything was collected; else the worst per-artifact code (78 over 75 over 1). */
  exitCode: ExitCode;
  error?: string;
}

export interface CollectWindowResult {
  windowDays: number;
  workflow: string | null;
  concurrency: number;
  dryRun: boolean;
  runs: CollectRunResult[];
  collected: number;
  skipped: number;
  failed: number;
  elapsedMs: number;
  exitCode: ExitCode;
}
