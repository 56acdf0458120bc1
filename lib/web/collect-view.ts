import "server-only";
import { getSettings, type Settings } from "../config/settings";
import { listCollections, type CollectionRecord } from "../collect/collections-store";
import { listSelfHealAttempts, type SelfHealAttempt } from "../collect/self-heal-store";
import { getDatabase } from "../db";
import { InputError } from "../errors";
import { createMasker } from "../notify/mask";
import { getEventContext } from "./event-data";

/**
 * What the Collect view and a run's collection section read, for the first render and for the
 * live refetches (GET /api/collections, /api/self-heal-attempts) alike. Error text and reasons
 * come from GitHub and from files: masked before they reach a browser (DESIGN §8).
 */

/** The settings a collection needs that are missing: names only, never a value. */
export interface GitHubSetup {
  configured: boolean;
  missing: ("GITHUB_TOKEN" | "GITHUB_REPOSITORY")[];
  /** owner/name when set (not a secret: it names the audited repository). */
  repository: string | null;
}

export function getGitHubSetup(settings: Settings = getSettings()): GitHubSetup {
  const missing: GitHubSetup["missing"] = [];
  if (settings.GITHUB_TOKEN === undefined) missing.push("GITHUB_TOKEN");
  if (settings.GITHUB_REPOSITORY === undefined) missing.push("GITHUB_REPOSITORY");
  return { configured: missing.length === 0, missing, repository: settings.GITHUB_REPOSITORY ?? null };
}

/** A run id as GitHub gives it: digits (the same rule as the collection's own input). */
export function parseRunIdParam(value: string | null): string | undefined {
  if (value === null || value === "") return undefined;
  if (!/^\d{1,20}$/.test(value))
    throw new InputError(`run_id: expected a GitHub run id (digits), got '${value}'`);
  return value;
}

/** The event's collections, newest first, optionally of one run. */
export async function loadCollections(runId?: string, limit = 200): Promise<CollectionRecord[]> {
  const settings = getSettings();
  const rows = await listCollections(await getDatabase(settings), getEventContext().event, runId, limit);
  const mask = createMasker(settings);
  return rows.map((row) => (row.error === null ? row : { ...row, error: mask(row.error) }));
}

/** One run's self-heal attempts of this event, in order. */
export async function loadSelfHealAttempts(runId: string): Promise<SelfHealAttempt[]> {
  const settings = getSettings();
  const event = getEventContext().event;
  const attempts = await listSelfHealAttempts(await getDatabase(settings), runId);
  const mask = createMasker(settings);
  return attempts
    .filter((attempt) => attempt.event === event)
    .map((attempt) => ({ ...attempt, decidedBecause: mask(attempt.decidedBecause) }));
}
