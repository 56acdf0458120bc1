import type { Settings } from "../config/settings";

/** Whether GITHUB_TOKEN and GITHUB_REPOSITORY are both set (steps that need GitHub skip otherwise). */
export function isGitHubConfigured(settings: Pick<Settings, "GITHUB_TOKEN" | "GITHUB_REPOSITORY">): boolean {
  return settings.GITHUB_TOKEN !== undefined && settings.GITHUB_REPOSITORY !== undefined;
}
