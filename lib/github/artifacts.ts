import { ArtifactExpiredError, GitHubRefusedError } from "./errors";
import { numericId } from "./params";
import { toArtifact } from "./reshape";
import type { RepoContext } from "./runs";
import type { Artifact } from "./types";

export async function listArtifacts(
  { octokit, owner, repo }: RepoContext,
  runId: string,
): Promise<Artifact[]> {
  const artifacts = await octokit.paginate(octokit.rest.actions.listWorkflowRunArtifacts, {
    owner,
    repo,
    run_id: numericId(runId, "run_id"),
    per_page: 100,
  });
  return artifacts.map(toArtifact);
}

/**
 * GitHub answers the zip route with 302 to a short-lived storage URL. The redirect is not followed:
 * fetch would carry the Authorization header along, and the storage host must never see the token.
 * The caller downloads the returned URL with a plain request.
 */
export async function getArtifactDownloadUrl(
  { octokit, owner, repo }: RepoContext,
  artifactId: string,
): Promise<string> {
  const id = numericId(artifactId, "artifact id");
  let location: string | undefined;
  try {
    const response = await octokit.rest.actions.downloadArtifact({
      owner,
      repo,
      artifact_id: id,
      archive_format: "zip",
      request: { redirect: "manual" },
    });
    location = response.headers.location;
  } catch (error) {
    if (error instanceof GitHubRefusedError && error.status === 410) {
      throw new ArtifactExpiredError(artifactId, { cause: error });
    }
    throw error;
  }
  if (!location) {
    throw new GitHubRefusedError(
      `GitHub answered the zip route of artifact ${artifactId} without a Location header; expected a 302 redirect`,
      502,
    );
  }
  return location;
}
