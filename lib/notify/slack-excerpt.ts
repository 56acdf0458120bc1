import { promises as fs } from "node:fs";
import path from "node:path";
import type { EventPaths } from "../config/paths";
import { withFileLock, writeFileAtomic } from "../evidence/atomic-file";
import { InputError } from "../errors";
import { renderSlackExcerpt, type SlackSummaryFields } from "./slack-message";

/**
 * `slack_excerpts/<RUN_ID>-summary.md` (DESIGN §3): the masked text that was posted, written
 * atomically so a reader never sees half an excerpt, and named only by a run id that is a plain
 * file name (it is taken from flags and files, so `../x` or `a/b` must never reach the path).
 */
const SAFE_RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const EXCERPT_SUFFIX = "-summary.md";

export function isSafeRunId(runId: string): boolean {
  return SAFE_RUN_ID.test(runId) && !runId.includes("..");
}

export function assertSafeRunId(runId: string): string {
  if (!isSafeRunId(runId)) {
    throw new InputError(
      `run id: expected 1-100 letters, digits, '.', '_' or '-' starting with a letter or digit ` +
        `(it names slack_excerpts/<RUN_ID>${EXCERPT_SUFFIX}), got ${JSON.stringify(runId.slice(0, 40))}`,
    );
  }
  return runId;
}

export function getExcerptPath(paths: Pick<EventPaths, "slackExcerpts">, runId: string): string {
  return path.join(paths.slackExcerpts, `${assertSafeRunId(runId)}${EXCERPT_SUFFIX}`);
}

/** Writes the excerpt of already-masked fields; returns its absolute path. */
export async function writeSlackExcerpt(
  paths: Pick<EventPaths, "slackExcerpts">,
  runId: string,
  fields: SlackSummaryFields,
): Promise<string> {
  const file = getExcerptPath(paths, runId);
  await withFileLock(file, () => writeFileAtomic(file, renderSlackExcerpt(fields), { backup: false }));
  return file;
}

export interface ExcerptListing {
  count: number;
  newest: { name: string; modifiedAt: string } | null;
}

/** The excerpts of an event folder; an absent folder holds none. */
export async function listSlackExcerpts(dir: string): Promise<ExcerptListing> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith(EXCERPT_SUFFIX) && !n.startsWith("."));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { count: 0, newest: null };
    throw error;
  }
  const stats = await Promise.all(
    names.map(async (name) => ({ name, mtime: (await fs.stat(path.join(dir, name))).mtime })),
  );
  const newest = stats.sort((a, b) => b.mtime.getTime() - a.mtime.getTime())[0];
  return {
    count: stats.length,
    newest: newest ? { name: newest.name, modifiedAt: newest.mtime.toISOString() } : null,
  };
}
