import { readRunsSummarySnapshot } from "../evidence/runs-summary-snapshot";
import { isMirroredDigest, mirrorRuns, type MirrorResult } from "./runs-mirror";
import type { Database } from "./types";

/** Mirrors the RUNS_SUMMARY.json at `file` as it is on disk now (its digest skips an unchanged file). */
export async function mirrorRunsSummaryFile(
  db: Database,
  event: string,
  file: string,
): Promise<MirrorResult> {
  const snapshot = await readRunsSummarySnapshot(file, {
    trust: (digest) => isMirroredDigest(db, event, digest),
  });
  return mirrorRuns(db, event, snapshot.runs, { digest: snapshot.digest ?? "missing" });
}

/**
 * After a command wrote the file: the file is the evidence and is written; a mirror that fails
 * is reported, not fatal (the next observer report mirrors it again).
 */
export async function mirrorAfterWrite(
  open: () => Promise<Database>,
  event: string,
  file: string,
  warn: (line: string) => void,
): Promise<MirrorResult | null> {
  try {
    return await mirrorRunsSummaryFile(await open(), event, file);
  } catch (error) {
    warn(
      `warning: RUNS_SUMMARY.json is written, but the database mirror of event ${event} was not updated (${(error as Error).message}); the next observer report mirrors it`,
    );
    return null;
  }
}
