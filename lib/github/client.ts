import type { Settings } from "../config/settings";
import type { Database } from "../db";
import { ServiceRefusedError } from "../errors";
import { createMasker } from "../notify/mask";
import type { ExecuteOptions } from "../retry";
import { getArtifactDownloadUrl, listArtifacts } from "./artifacts";
import { listAnnotations, listJobs } from "./jobs";
import { createOctokit } from "./octokit";
import type { GitHubDecision } from "./request-policy";
import { describeDecision, recordRetryHistory } from "./retry-history";
import { getRun, listActiveRuns, listRunsInWindow, type RepoContext } from "./runs";
import type { GitHubClient } from "./types";
import {
  cancelRun,
  disableWorkflow,
  enableWorkflow,
  forceCancelRun,
  rerunFailedJobs,
} from "./workflow-control";

export interface GitHubClientOptions {
  /** Tests and the kill switch point calls at a local server through it. */
  fetchImpl?: typeof fetch;
  /** The kill switch's signal: cuts a retry wait or a request short. */
  signal?: AbortSignal;
  /** When given, requests that needed more than one try are recorded in retry_history. */
  db?: Database;
  onDecision?: (decision: GitHubDecision) => void;
  /** Masked lines (status codes and decisions only); stderr when omitted. */
  log?: (line: string) => void;
  /** Each attempt's deadline; 30 s when omitted. */
  timeoutMs?: number;
  sleep?: ExecuteOptions["sleep"];
  now?: ExecuteOptions["now"];
}

const DEFAULT_TIMEOUT_MS = 30_000;

export { isGitHubConfigured } from "./configured";

export function createGitHubClient(settings: Settings, options: GitHubClientOptions = {}): GitHubClient {
  const token = settings.GITHUB_TOKEN;
  const repository = settings.GITHUB_REPOSITORY;
  if (token === undefined) {
    throw new ServiceRefusedError(
      "GITHUB_TOKEN is not set: GitHub calls need a token (actions: read and write)",
    );
  }
  if (repository === undefined) {
    throw new ServiceRefusedError(
      "GITHUB_REPOSITORY is not set: expected owner/name of the audited repository",
    );
  }
  const [owner = "", repo = ""] = repository.split("/");
  const mask = createMasker(settings);
  const write = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log = (line: string) => write(mask(line));
  const { db } = options;

  const octokit = createOctokit({
    baseUrl: settings.GITHUB_API_URL,
    token,
    fetchImpl: options.fetchImpl,
    log,
    policy: {
      scale: settings.RETRY_BACKOFF_SCALE,
      signal: options.signal,
      sleep: options.sleep,
      now: options.now,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      onDecision: (decision) => {
        options.onDecision?.(decision);
        if (decision.attempt > 1 || decision.decision.kind !== "success") log(describeDecision(decision));
      },
      onSettled: async (decisions) => {
        if (!db) return;
        // A lost history row must not fail the GitHub call it describes; it is reported instead.
        await recordRetryHistory(db, decisions).catch((error: unknown) =>
          log(`github retry_history not recorded: ${error instanceof Error ? error.message : String(error)}`),
        );
      },
    },
  });
  const context: RepoContext = { octokit, owner, repo };

  return {
    repository,
    listRunsInWindow: (windowOptions) => listRunsInWindow(context, windowOptions),
    getRun: (runId) => getRun(context, runId),
    listJobs: (runId, jobOptions) => listJobs(context, runId, jobOptions),
    listAnnotations: (jobId) => listAnnotations(context, jobId),
    listArtifacts: (runId) => listArtifacts(context, runId),
    getArtifactDownloadUrl: (artifactId) => getArtifactDownloadUrl(context, artifactId),
    rerunFailedJobs: (runId) => rerunFailedJobs(context, runId),
    cancelRun: (runId) => cancelRun(context, runId),
    forceCancelRun: (runId) => forceCancelRun(context, runId),
    disableWorkflow: (workflow) => disableWorkflow(context, workflow),
    enableWorkflow: (workflow) => enableWorkflow(context, workflow),
    listActiveRuns: (workflow) => listActiveRuns(context, workflow),
  };
}
