import { ServiceRefusedError } from "../errors";

/**
 * A non-retryable answer from GitHub (DESIGN §5: 403, 409, 422, other 4xx). Keeps the status so
 * callers can tell a 404 from a 409 without Octokit's error type leaking out of lib/github.
 */
export class GitHubRefusedError extends ServiceRefusedError {
  readonly status: number;

  constructor(message: string, status: number, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}

/** 410 on an artifact's zip: GitHub has deleted it (retention ran out). Never retried. */
export class ArtifactExpiredError extends GitHubRefusedError {
  readonly artifactId: string;

  constructor(artifactId: string, options?: ErrorOptions) {
    super(
      `GitHub artifact ${artifactId} has expired (HTTP 410): its retention period ran out, so it can no longer be downloaded`,
      410,
      options,
    );
    this.artifactId = artifactId;
  }
}
