/**
 * The app's own view of GitHub Actions (STYLE: one adapter per outside system). Octokit's types
 * stay inside lib/github; everything past it works on these shapes. Times are ISO 8601 UTC as
 * GitHub sends them; ids are strings like run_id everywhere else in the app.
 */
export type RunStatus = "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";

export interface WorkflowRun {
  runId: string;
  /** The run's title (display_title), e.g. the commit message or the dispatch's run-name. */
  name: string;
  workflowName: string;
  /** `.github/workflows/<file>` */
  workflowPath: string;
  /** push, schedule, workflow_dispatch, … */
  event: string;
  status: RunStatus | string;
  /** success, failure, cancelled, … or null while the run is not completed. */
  conclusion: string | null;
  headSha: string;
  branch: string | null;
  runAttempt: number;
  createdAt: string;
  runStartedAt: string | null;
  updatedAt: string;
  htmlUrl?: string;
}

export interface JobStep {
  number: number;
  name: string;
  status: string;
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
}

export interface Annotation {
  level: "notice" | "warning" | "failure" | string;
  message: string;
  path?: string;
  title?: string;
  startLine?: number;
}

export interface Job {
  jobId: string;
  runId: string;
  name: string;
  status: string;
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  htmlUrl?: string;
  steps?: JobStep[];
  /** Filled by listJobs({ annotations: true }): the job's check-run annotations. */
  annotations?: Annotation[];
}

export interface Artifact {
  id: string;
  name: string;
  sizeInBytes: number;
  expired: boolean;
  /** Hex SHA-256 of the zip when GitHub reports it (upload-artifact v4+ sends `sha256:<hex>`). */
  digest?: string;
  /** The API URL that answers 302; use getArtifactDownloadUrl for the storage URL. */
  archiveDownloadUrl: string;
  createdAt: string | null;
  expiresAt: string | null;
}

/** What a re-run / cancel request came to: 409 means the run was already past it (DESIGN §5: success). */
export type ControlOutcome = "requested" | "already-done";

export interface ListRunsOptions {
  windowDays: number;
  /** A workflow file name (`phase4-auto-audit.yml`) or numeric id; all workflows when omitted. */
  workflow?: string;
  /** The window's end; now when omitted. */
  asOf?: Date;
}

export interface GitHubClient {
  readonly repository: string;
  listRunsInWindow(options: ListRunsOptions): Promise<WorkflowRun[]>;
  getRun(runId: string): Promise<WorkflowRun>;
  listJobs(runId: string, options?: { annotations?: boolean }): Promise<Job[]>;
  listAnnotations(jobId: string): Promise<Annotation[]>;
  listArtifacts(runId: string): Promise<Artifact[]>;
  /** The short-lived storage URL (302 Location), never followed: it must not receive the token. */
  getArtifactDownloadUrl(artifactId: string): Promise<string>;
  rerunFailedJobs(runId: string): Promise<ControlOutcome>;
  cancelRun(runId: string): Promise<ControlOutcome>;
  forceCancelRun(runId: string): Promise<ControlOutcome>;
  disableWorkflow(workflow: string): Promise<void>;
  enableWorkflow(workflow: string): Promise<void>;
  /** Queued and in-progress runs of one workflow. */
  listActiveRuns(workflow: string): Promise<WorkflowRun[]>;
}
