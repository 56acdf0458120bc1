import type { AnnotationInput, GitHubServerState, ServerArtifact, ServerRun } from "./state";

/**
 * GitHub's REST JSON shapes (docs.github.com/rest/actions), with the fields Octokit and the app
 * read plus the usual neighbours, so a client that reads more than we do still finds them.
 */
export function runJson(state: GitHubServerState, api: string, run: ServerRun) {
  const repoApi = `${api}/repos/${state.owner}/${state.repo}`;
  const html = `https://github.example/${state.owner}/${state.repo}`;
  const workflow = state.workflows.get(run.workflowFile);
  return {
    id: run.id,
    name: run.workflowName,
    node_id: `WFR_${run.id}`,
    head_branch: run.branch,
    head_sha: run.headSha,
    path: `.github/workflows/${run.workflowFile}`,
    display_title: run.title,
    run_number: run.id % 10_000,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: workflow?.id ?? 0,
    check_suite_id: run.id + 1,
    url: `${repoApi}/actions/runs/${run.id}`,
    html_url: `${html}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    run_attempt: run.runAttempt,
    run_started_at: run.runStartedAt,
    jobs_url: `${repoApi}/actions/runs/${run.id}/jobs`,
    logs_url: `${repoApi}/actions/runs/${run.id}/logs`,
    artifacts_url: `${repoApi}/actions/runs/${run.id}/artifacts`,
    cancel_url: `${repoApi}/actions/runs/${run.id}/cancel`,
    rerun_url: `${repoApi}/actions/runs/${run.id}/rerun`,
    workflow_url: `${repoApi}/actions/workflows/${workflow?.id ?? 0}`,
    head_commit: { id: run.headSha, tree_id: run.headSha, message: run.title, timestamp: run.createdAt },
    repository: { id: 1, name: state.repo, full_name: `${state.owner}/${state.repo}` },
    head_repository: { id: 1, name: state.repo, full_name: `${state.owner}/${state.repo}` },
  };
}

export function jobJson(
  state: GitHubServerState,
  api: string,
  run: ServerRun,
  job: ServerRun["jobs"][number],
) {
  const started = run.runStartedAt;
  const completed = run.status === "completed" ? run.updatedAt : null;
  return {
    id: job.id,
    run_id: run.id,
    run_url: `${api}/repos/${state.owner}/${state.repo}/actions/runs/${run.id}`,
    run_attempt: run.runAttempt,
    node_id: `CR_${job.id}`,
    head_sha: run.headSha,
    url: `${api}/repos/${state.owner}/${state.repo}/actions/jobs/${job.id}`,
    html_url: `https://github.example/${state.owner}/${state.repo}/actions/runs/${run.id}/job/${job.id}`,
    status: job.status,
    conclusion: job.conclusion,
    created_at: run.createdAt,
    started_at: started,
    completed_at: completed,
    name: job.name,
    steps: job.steps.map((step, index) => ({
      name: step.name,
      status: step.status ?? job.status,
      conclusion: step.conclusion ?? job.conclusion,
      number: index + 1,
      started_at: started,
      completed_at: completed,
    })),
    check_run_url: `${api}/repos/${state.owner}/${state.repo}/check-runs/${job.id}`,
    labels: ["ubuntu-latest"],
    runner_id: 1,
    runner_name: "GitHub Actions 1",
    runner_group_id: 1,
    runner_group_name: "GitHub Actions",
    workflow_name: run.workflowName,
    head_branch: run.branch,
  };
}

export function annotationJson(annotation: AnnotationInput) {
  const line = annotation.startLine ?? 1;
  return {
    path: annotation.path ?? ".github",
    start_line: line,
    end_line: line,
    start_column: null,
    end_column: null,
    annotation_level: annotation.level,
    title: annotation.title ?? "",
    message: annotation.message,
    raw_details: null,
    blob_href: "",
  };
}

export function artifactJson(state: GitHubServerState, api: string, artifact: ServerArtifact) {
  const url = `${api}/repos/${state.owner}/${state.repo}/actions/artifacts/${artifact.id}`;
  const run = state.runs.get(artifact.runId);
  return {
    id: artifact.id,
    node_id: `MDg6QXJ0aWZhY3Q${artifact.id}`,
    name: artifact.name,
    size_in_bytes: artifact.zip.length,
    url,
    archive_download_url: `${url}/zip`,
    expired: artifact.expired,
    digest: artifact.digest,
    created_at: artifact.createdAt,
    updated_at: artifact.createdAt,
    expires_at: new Date(Date.parse(artifact.createdAt) + 90 * 86_400_000)
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z"),
    workflow_run: {
      id: artifact.runId,
      repository_id: 1,
      head_repository_id: 1,
      head_branch: run?.branch ?? "main",
      head_sha: run?.headSha ?? "",
    },
  };
}
