export { createGitHubClient, isGitHubConfigured } from "./client";
export type { GitHubClientOptions } from "./client";
export { ArtifactExpiredError, GitHubRefusedError } from "./errors";
export type { GitHubDecision } from "./request-policy";
export type {
  Annotation,
  Artifact,
  ControlOutcome,
  GitHubClient,
  Job,
  JobStep,
  ListRunsOptions,
  WorkflowRun,
} from "./types";
