import type { OctokitClient } from "./octokit";
import { createdSince, numericId, workflowId } from "./params";
import { toWorkflowRun } from "./reshape";
import type { ListRunsOptions, WorkflowRun } from "./types";

export interface RepoContext {
  octokit: OctokitClient;
  owner: string;
  repo: string;
}

const PER_PAGE = 100;

/**
 * Completed runs created within `windowDays` before `asOf`, every page. GitHub filters by day, so
 * the first day is whole; runs created after `asOf` are dropped here when `asOf` is given.
 */
export async function listRunsInWindow(
  { octokit, owner, repo }: RepoContext,
  { windowDays, workflow, asOf }: ListRunsOptions,
): Promise<WorkflowRun[]> {
  const end = asOf ?? new Date();
  const params = {
    owner,
    repo,
    status: "completed" as const,
    created: createdSince(windowDays, end),
    per_page: PER_PAGE,
  };
  const runs =
    workflow === undefined
      ? await octokit.paginate(octokit.rest.actions.listWorkflowRunsForRepo, params)
      : await octokit.paginate(octokit.rest.actions.listWorkflowRuns, {
          ...params,
          workflow_id: workflowId(workflow),
        });
  const reshaped = runs.map(toWorkflowRun);
  return asOf === undefined
    ? reshaped
    : reshaped.filter((run) => Date.parse(run.createdAt) <= asOf.getTime());
}

export async function getRun({ octokit, owner, repo }: RepoContext, runId: string): Promise<WorkflowRun> {
  const { data } = await octokit.rest.actions.getWorkflowRun({
    owner,
    repo,
    run_id: numericId(runId, "run_id"),
  });
  return toWorkflowRun(data);
}

/** Queued and in-progress runs of one workflow (what the kill switch cancels). */
export async function listActiveRuns(
  { octokit, owner, repo }: RepoContext,
  workflow: string,
): Promise<WorkflowRun[]> {
  const id = workflowId(workflow);
  const found = new Map<string, WorkflowRun>();
  for (const status of ["queued", "in_progress"] as const) {
    const runs = await octokit.paginate(octokit.rest.actions.listWorkflowRuns, {
      owner,
      repo,
      workflow_id: id,
      status,
      per_page: PER_PAGE,
    });
    // A run can move from queued to in_progress between the two listings: keep it once.
    for (const run of runs.map(toWorkflowRun)) found.set(run.runId, run);
  }
  return [...found.values()];
}
