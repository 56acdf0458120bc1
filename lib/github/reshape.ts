import type { RestEndpointMethodTypes } from "@octokit/plugin-rest-endpoint-methods";
import type { Annotation, Artifact, Job, WorkflowRun } from "./types";

/** GitHub's JSON → the app's types (types.ts). The only place that knows GitHub's field names. */
type GitHubRun = RestEndpointMethodTypes["actions"]["getWorkflowRun"]["response"]["data"];
type GitHubJob =
  RestEndpointMethodTypes["actions"]["listJobsForWorkflowRun"]["response"]["data"]["jobs"][number];
type GitHubAnnotation = RestEndpointMethodTypes["checks"]["listAnnotations"]["response"]["data"][number];
type GitHubArtifact =
  RestEndpointMethodTypes["actions"]["listWorkflowRunArtifacts"]["response"]["data"]["artifacts"][number];

export function toWorkflowRun(run: GitHubRun): WorkflowRun {
  return {
    runId: String(run.id),
    name: run.display_title ?? run.name ?? "",
    workflowName: run.name ?? "",
    workflowPath: run.path,
    event: run.event,
    status: run.status ?? "unknown",
    conclusion: run.conclusion,
    headSha: run.head_sha,
    branch: run.head_branch,
    runAttempt: run.run_attempt ?? 1,
    createdAt: run.created_at,
    runStartedAt: run.run_started_at ?? null,
    updatedAt: run.updated_at,
    htmlUrl: run.html_url,
  };
}

export function toJob(job: GitHubJob): Job {
  return {
    jobId: String(job.id),
    runId: String(job.run_id),
    name: job.name,
    status: job.status,
    conclusion: job.conclusion,
    startedAt: job.started_at,
    completedAt: job.completed_at,
    htmlUrl: job.html_url ?? undefined,
    steps: job.steps?.map((step) => ({
      number: step.number,
      name: step.name,
      status: step.status,
      conclusion: step.conclusion,
      startedAt: step.started_at ?? null,
      completedAt: step.completed_at ?? null,
    })),
  };
}

export function toAnnotation(annotation: GitHubAnnotation): Annotation {
  return {
    level: annotation.annotation_level ?? "notice",
    message: annotation.message ?? "",
    path: annotation.path || undefined,
    title: annotation.title ?? undefined,
    startLine: annotation.start_line,
  };
}

export function toArtifact(artifact: GitHubArtifact): Artifact {
  // GitHub sends `sha256:<hex>`; the app compares bare hex (DESIGN §4).
  const digest = artifact.digest?.match(/^sha256:([0-9a-f]{64})$/i)?.[1]?.toLowerCase();
  return {
    id: String(artifact.id),
    name: artifact.name,
    sizeInBytes: artifact.size_in_bytes,
    expired: artifact.expired,
    digest,
    archiveDownloadUrl: artifact.archive_download_url,
    createdAt: artifact.created_at,
    expiresAt: artifact.expires_at,
  };
}
