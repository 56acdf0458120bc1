import { rm } from "node:fs/promises";
import path from "node:path";
import type { Settings } from "../config/settings";
import type { Database } from "../db";
import { EXIT, exitCodeOf, type ExitCode } from "../errors";
import type { DigestAlgorithm } from "../evidence/digest";
import { ArtifactExpiredError, type Artifact, type GitHubClient } from "../github";
import { DownloadIntegrityError, downloadArtifact } from "../github/download";
import { extractArchive } from "../github/extract-runner";
import { UnsafeArchiveError } from "../github/zip-safety";
import { insertCollection } from "./collections-store";
import type { CollectedFile } from "./find-provenance";
import { createRowWriter } from "./row-writer";
import type { ArtifactOutcome, CollectPhase, OnCollectProgress } from "./types";

/**
 * One artifact: a collections row, the zip streamed to the workspace (GitHub's digest checked in
 * the same pass), extracted safely (each file hashed as it is written), the zip removed. Nothing
 * reaches the event folder here: collect-run moves the extracted folders in once the run is whole.
 */
export interface FetchContext {
  github: GitHubClient;
  db: Database;
  settings: Settings;
  event: string;
  runId: string;
  runAttempt: number;
  actor: string;
  dryRun: boolean;
  workspace: string;
  signal: AbortSignal;
  fetchImpl?: typeof fetch;
  onProgress?: OnCollectProgress;
  algorithms: readonly DigestAlgorithm[];
  /** Other runs download at the same time: extraction may move to a worker (extract-runner.ts). */
  besideOthers: boolean;
}

export interface FetchedArtifact {
  outcome: ArtifactOutcome;
  files: CollectedFile[];
  /** The extracted folder in the workspace; null on failure. */
  dir: string | null;
  collectionId: number;
}

// Caps against zip bombs: far above any audit artifact, far below what would fill a disk.
const MAX_TOTAL_BYTES = 10 * 1024 ** 3;
const MAX_ENTRIES = 50_000;

/** An artifact name becomes one folder name: no separators, no dot-only names, no control characters. */
export function isSafeArtifactName(name: string): boolean {
  return /^[^/\\\u0000-\u001f]{1,255}$/.test(name) && name !== "." && name !== "..";
}

export async function fetchArtifact(ctx: FetchContext, artifact: Artifact): Promise<FetchedArtifact> {
  const { db, signal } = ctx;
  const total = artifact.sizeInBytes;
  const unsafeName = !isSafeArtifactName(artifact.name);
  const collectionId = await insertCollection(db, {
    event: ctx.event,
    runId: ctx.runId,
    runAttempt: ctx.runAttempt,
    artifactId: artifact.id,
    artifactName: artifact.name,
    size: total,
    actor: ctx.actor,
    dryRun: ctx.dryRun,
    // Straight to downloading: one statement less per artifact (the queued phase is a progress event).
    state: unsafeName || artifact.expired ? "refused" : "downloading",
  });
  let bytes = 0;
  const emit = (phase: CollectPhase) =>
    ctx.onProgress?.({
      runId: ctx.runId,
      artifact: artifact.name,
      bytes,
      total,
      percent: total > 0 ? Math.min(100, Math.floor((bytes / total) * 100)) : null,
      phase,
    });
  const row = createRowWriter(db, collectionId);
  const base = { artifactId: artifact.id, name: artifact.name, files: 0, path: null };
  emit("queued");

  const stop = async (
    state: "failed" | "refused",
    error: string,
    exitCode: ExitCode,
    summary: string,
    expired = false,
  ) => {
    await row.final({ state, error: error.slice(0, 1000), bytes, finished: true });
    emit(state);
    const outcome: ArtifactOutcome = {
      ...base,
      state,
      bytes,
      zipDigest: null,
      error,
      summary,
      exitCode,
      expired,
    };
    return { outcome, files: [], dir: null, collectionId };
  };
  if (unsafeName) {
    const error = `artifact ${artifact.id}: its name ${JSON.stringify(artifact.name)} cannot be a folder name`;
    return stop("refused", error, EXIT.serviceRefused, "unsafe name");
  }
  if (artifact.expired) {
    const error = `GitHub artifact ${artifact.id} has expired (listed as expired): its retention period ran out, so it can no longer be downloaded`;
    return stop("refused", error, EXIT.serviceRefused, "expired", true);
  }

  const zipFile = path.join(ctx.workspace, "zips", `${artifact.id}.zip`);
  const dir = path.join(ctx.workspace, "raw", artifact.name);
  try {
    emit("downloading");
    const downloaded = await downloadArtifact({
      url: () => ctx.github.getArtifactDownloadUrl(artifact.id),
      destFile: zipFile,
      expectedDigest: artifact.digest,
      expectedSize: total,
      durable: false, // removed once extracted
      signal,
      fetchImpl: ctx.fetchImpl,
      settings: ctx.settings,
      onProgress: (progress) => {
        bytes = progress.bytes;
        emit("downloading");
        row.sample({ bytes, total: progress.total ?? total });
      },
    });
    bytes = downloaded.bytes;
    row.sample({ state: "extracting", bytes, zipDigest: downloaded.sha256 });
    emit("extracting");
    const extracted = await extractArchive(
      {
        zipFile: downloaded.file,
        targetDir: dir,
        maxTotalBytes: MAX_TOTAL_BYTES,
        maxEntries: MAX_ENTRIES,
        signal,
        algorithms: ctx.algorithms,
      },
      { zipBytes: downloaded.bytes, besideOthers: ctx.besideOthers },
    );
    await rm(downloaded.file, { force: true });
    // The row stays open: collect-run ends it (done with its folder, or failed) with bytes and digest.
    await row.settle();
    const files: CollectedFile[] = extracted.files.map((f) => ({
      artifact: artifact.name,
      relPath: f.path,
      absPath: path.join(dir, ...f.path.split("/")),
      size: f.size,
      sha256: f.sha256,
      sha512: f.sha512,
    }));
    const outcome: ArtifactOutcome = {
      ...base,
      state: "done",
      bytes,
      zipDigest: downloaded.sha256,
      files: files.length,
    };
    return { outcome, files, dir, collectionId };
  } catch (error) {
    await rm(zipFile, { force: true });
    if (signal.aborted) {
      const reason = signal.reason instanceof Error ? signal.reason.message : "aborted";
      await row
        .final({ state: "failed", error: `stopped: ${reason}`.slice(0, 1000), bytes, finished: true })
        .catch(() => undefined);
      emit("failed");
      throw signal.reason ?? error;
    }
    if (error instanceof ArtifactExpiredError)
      return stop("refused", error.message, EXIT.serviceRefused, "expired (HTTP 410)", true);
    if (error instanceof UnsafeArchiveError)
      return stop("refused", error.message, EXIT.serviceRefused, "unsafe zip");
    // The bytes arrived but are not what GitHub said: a failed download, never recorded as collected.
    if (error instanceof DownloadIntegrityError)
      return stop("failed", error.message, EXIT.serviceRefused, "size or digest differs from GitHub's");
    if (!(error instanceof Error) || !("exitCode" in error)) {
      await row
        .final({ state: "failed", error: String(error).slice(0, 1000), finished: true })
        .catch(() => undefined);
      throw error;
    }
    const code = exitCodeOf(error);
    const summary =
      code === EXIT.retryExhausted
        ? "retries exhausted"
        : code === EXIT.serviceRefused
          ? "refused"
          : "bad input";
    return stop(code === EXIT.serviceRefused ? "refused" : "failed", error.message, code, summary);
  }
}
