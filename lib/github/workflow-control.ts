import { GitHubRefusedError } from "./errors";
import { numericId, workflowId } from "./params";
import type { RepoContext } from "./runs";
import type { ControlOutcome } from "./types";

/** 409 (policy: not retried, counts as success): the run is already past the state asked for. */
async function conflictIsDone(call: () => Promise<unknown>): Promise<ControlOutcome> {
  try {
    await call();
    return "requested";
  } catch (error) {
    if (error instanceof GitHubRefusedError && error.status === 409) return "already-done";
    throw error;
  }
}

export function rerunFailedJobs(
  { octokit, owner, repo }: RepoContext,
  runId: string,
): Promise<ControlOutcome> {
  const run_id = numericId(runId, "run_id");
  return conflictIsDone(() => octokit.rest.actions.reRunWorkflowFailedJobs({ owner, repo, run_id }));
}

export function cancelRun({ octokit, owner, repo }: RepoContext, runId: string): Promise<ControlOutcome> {
  const run_id = numericId(runId, "run_id");
  return conflictIsDone(() => octokit.rest.actions.cancelWorkflowRun({ owner, repo, run_id }));
}

/** Cancels even jobs whose steps run `if: always()`, which an ordinary cancel waits for. */
export function forceCancelRun(
  { octokit, owner, repo }: RepoContext,
  runId: string,
): Promise<ControlOutcome> {
  const run_id = numericId(runId, "run_id");
  return conflictIsDone(() => octokit.rest.actions.forceCancelWorkflowRun({ owner, repo, run_id }));
}

export async function disableWorkflow(
  { octokit, owner, repo }: RepoContext,
  workflow: string,
): Promise<void> {
  await octokit.rest.actions.disableWorkflow({ owner, repo, workflow_id: workflowId(workflow) });
}

export async function enableWorkflow({ octokit, owner, repo }: RepoContext, workflow: string): Promise<void> {
  await octokit.rest.actions.enableWorkflow({ owner, repo, workflow_id: workflowId(workflow) });
}
