import { numericId } from "./params";
import { toAnnotation, toJob } from "./reshape";
import type { RepoContext } from "./runs";
import type { Annotation, Job } from "./types";

/** A run's jobs (latest attempt), each with its steps; with `annotations`, each job's annotations too. */
export async function listJobs(
  context: RepoContext,
  runId: string,
  options: { annotations?: boolean } = {},
): Promise<Job[]> {
  const { octokit, owner, repo } = context;
  const jobs = await octokit.paginate(octokit.rest.actions.listJobsForWorkflowRun, {
    owner,
    repo,
    run_id: numericId(runId, "run_id"),
    filter: "latest",
    per_page: 100,
  });
  const reshaped = jobs.map(toJob);
  if (!options.annotations) return reshaped;
  const withAnnotations: Job[] = [];
  // One job at a time: the throttling plugin paces the rest, and a run has few jobs.
  for (const job of reshaped) {
    withAnnotations.push({ ...job, annotations: await listAnnotations(context, job.jobId) });
  }
  return withAnnotations;
}

/** A job is a check run: its id reads its annotations (errors and warnings the steps reported). */
export async function listAnnotations(
  { octokit, owner, repo }: RepoContext,
  jobId: string,
): Promise<Annotation[]> {
  const annotations = await octokit.paginate(octokit.rest.checks.listAnnotations, {
    owner,
    repo,
    check_run_id: numericId(jobId, "job id"),
    per_page: 100,
  });
  return annotations.map(toAnnotation);
}
