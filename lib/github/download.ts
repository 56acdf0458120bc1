import { randomBytes } from "node:crypto";
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Settings } from "../config/settings";
import { RetryExhaustedError, ServiceRefusedError } from "../errors";
import { createDigester } from "../evidence/digest";
import { executeWithRetry, type DecisionRecord, type OperationResponse } from "../retry";
import { makeDirs } from "./created-dirs";
import { describeFailure, describeStorageUrl, parseReportedDigest, toConnectionError } from "./download-url";

export interface DownloadProgress {
  bytes: number;
  /** Content-Length, else the expected size, else null. */
  total: number | null;
  /** 0–100 when the total is known; 100 once the download is complete. */
  percent: number | null;
}

export interface DownloadOptions {
  /** The signed storage URL (GitHub's 302 Location), or a function that fetches a fresh one per attempt. */
  url: string | ((attempt: number) => Promise<string>);
  destFile: string;
  /** The digest GitHub reports for the zip: `sha256:<hex>` (bare hex accepted). */
  expectedDigest?: string;
  expectedSize?: number;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
  onProgress?: (progress: DownloadProgress) => void;
  /** Status code and retry decision of each attempt, for the logs (never a URL or a body). */
  onDecision?: (record: DecisionRecord) => void;
  settings: Pick<Settings, "RETRY_BACKOFF_SCALE">;
  /** No byte for this long fails the attempt as a timeout (retried). */
  stallTimeoutMs?: number;
  progressIntervalMs?: number;
  /**
   * Whether the file must reach the disk before it is renamed into place (fsync; default true).
   * The collector passes false: its zip lives only until it is extracted and is then deleted, so
   * waiting for the disk would only hold up the downloads running beside it.
   */
  durable?: boolean;
}

export interface DownloadResult {
  file: string;
  bytes: number;
  sha256: string;
  attempts: number;
}

/** The bytes arrived whole but are not what GitHub said they would be: not retried (exit 78). */
export class DownloadIntegrityError extends ServiceRefusedError {}

/**
 * Streams an artifact to a temporary file beside `destFile`, hashing in the same pass, and renames it
 * into place only when the length and GitHub's digest check out. Every failure or abort removes the
 * partial file. No Authorization header is ever sent: the storage URL carries its own signature, and
 * neither it nor its query string appears in any message.
 */
export async function downloadArtifact(options: DownloadOptions): Promise<DownloadResult> {
  const { signal, settings } = options;
  const expected =
    options.expectedDigest === undefined ? undefined : parseReportedDigest(options.expectedDigest);
  const destFile = path.resolve(options.destFile);
  const undoDirs = await makeDirs(path.dirname(destFile));
  let where = "the storage URL";
  let lastFailure = "";
  let done: { tmp: string; bytes: number; sha256: string } | undefined;

  // One attempt restarts from byte zero into a new temporary file; a failed one leaves nothing.
  const attemptOnce = async (attempt: number): Promise<OperationResponse> => {
    const url = typeof options.url === "string" ? options.url : await options.url(attempt);
    where = describeStorageUrl(url);
    const tmp = path.join(
      path.dirname(destFile),
      `.${path.basename(destFile)}.${randomBytes(4).toString("hex")}.part`,
    );
    try {
      const outcome = await fetchToFile(url, where, tmp, options);
      if (outcome.status !== undefined) {
        lastFailure = describeFailure(outcome);
        return { status: outcome.status, headers: outcome.headers };
      }
      if (outcome.contentLength !== null && outcome.bytes !== outcome.contentLength) {
        const error = new Error(
          `${where}: the body ended after ${outcome.bytes} of ${outcome.contentLength} bytes`,
        );
        throw Object.assign(error, { code: "ETRUNCATED" });
      }
      checkIntegrity(where, outcome, options.expectedSize, expected);
      done = { tmp, bytes: outcome.bytes, sha256: outcome.sha256 };
      return { status: 200 };
    } catch (error) {
      await rm(tmp, { force: true });
      if (signal?.aborted) throw signal.reason;
      lastFailure = describeFailure({ error });
      throw error;
    }
  };

  const result = await executeWithRetry(attemptOnce, {
    scale: settings.RETRY_BACKOFF_SCALE,
    signal,
    onDecision: options.onDecision,
  }).catch(async (error: unknown) => {
    await undoDirs();
    throw signal?.aborted ? signal.reason : error;
  });
  const finished = done;
  if (result.outcome === "success" && finished) {
    try {
      // The kill switch may have fired after the last byte: then nothing is put in place.
      signal?.throwIfAborted();
      await rename(finished.tmp, destFile);
    } catch (error) {
      await rm(finished.tmp, { force: true });
      await undoDirs();
      throw error;
    }
    return { file: destFile, bytes: finished.bytes, sha256: finished.sha256, attempts: result.attempts };
  }
  await undoDirs();
  if (result.outcome === "exhausted") {
    throw new RetryExhaustedError(
      `${where}: download failed after ${result.attempts} attempts (${lastFailure})`,
    );
  }
  // Refused (403: an expired or wrong signature, 404, other 4xx), or a 409 that brought no file.
  throw new ServiceRefusedError(`${where}: download refused (${lastFailure})`);
}

interface FetchOutcome {
  status?: number;
  headers?: Record<string, string>;
  bytes: number;
  contentLength: number | null;
  sha256: string;
}

async function fetchToFile(
  url: string,
  where: string,
  tmp: string,
  options: DownloadOptions,
): Promise<FetchOutcome> {
  const { signal, onProgress, stallTimeoutMs = 60_000, progressIntervalMs = 250 } = options;
  const fetchImpl = options.fetchImpl ?? fetch;
  // The attempt's own controller fires on a stall; the caller's signal (the kill switch) on top of it.
  const stall = new AbortController();
  const combined = signal ? AbortSignal.any([signal, stall.signal]) : stall.signal;
  // Which side failed, the network or the file, is noted as it happens.
  let failedSide: "network" | "file" | undefined;
  let timer = setTimeout(() => stall.abort(), stallTimeoutMs);
  const rearm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(), stallTimeoutMs);
  };
  try {
    // Identity encoding: Content-Length and GitHub's digest are about the zip's own bytes.
    const response = await fetchImpl(url, {
      signal: combined,
      redirect: "follow",
      headers: { "accept-encoding": "identity" },
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const headers = Object.fromEntries(response.headers);
      return { status: response.status, headers, bytes: 0, contentLength: null, sha256: "" };
    }
    const encoded = (response.headers.get("content-encoding") ?? "identity") !== "identity";
    const lengthHeader = response.headers.get("content-length");
    const contentLength =
      lengthHeader !== null && !encoded && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
    const total = contentLength ?? options.expectedSize ?? null;
    const digester = createDigester();
    let bytes = 0;
    let lastReport = 0;
    const report = (final: boolean) => {
      const percent = final ? 100 : total ? Math.min(100, Math.floor((bytes / total) * 100)) : null;
      onProgress?.({ bytes, total, percent });
    };
    // "wx": never follows or reuses an existing path.
    const file = await open(tmp, "wx").catch((error: unknown) => {
      failedSide = "file";
      throw error;
    });
    try {
      const batch = createWriteBatch(file, () => (failedSide = "file"));
      try {
        for await (const chunk of response.body ?? []) {
          rearm();
          bytes += chunk.length;
          digester.update(chunk);
          await batch.add(chunk);
          const now = performance.now();
          if (onProgress && now - lastReport >= progressIntervalMs) {
            lastReport = now;
            report(false);
          }
        }
      } catch (error) {
        failedSide ??= "network"; // the batch names the file side itself
        throw error;
      }
      await batch.flush();
      // fsync before the rename, so the file is on disk, not only in the page cache.
      if (options.durable !== false) await file.sync().catch(batch.failed);
    } finally {
      await file.close();
    }
    const { sha256 } = digester.digest();
    if (contentLength === null || bytes === contentLength) report(true);
    return { bytes, contentLength, sha256 };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    // The file side failed (disk full, permissions): not a connection problem, never retried.
    if (failedSide === "file") throw error;
    if (stall.signal.aborted) {
      throw Object.assign(new Error(`${where}: no data for ${stallTimeoutMs} ms`), { code: "ETIMEDOUT" });
    }
    throw toConnectionError(where, error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The body is read in a plain loop and written in batches of ~1 MiB: the network hands over
 * 64 KiB pieces, and each one sent through a chain of streams (web stream, Node stream, hashing
 * transform, file stream) cost several trips through the event loop, which the collection's
 * parallel downloads share (DESIGN §11).
 */
const WRITE_BATCH_BYTES = 1024 * 1024;

function createWriteBatch(file: FileHandle, onFileError: () => void) {
  let pending: Uint8Array[] = [];
  let size = 0;
  const failed = (error: unknown): never => {
    onFileError();
    throw error;
  };
  const flush = async () => {
    if (size === 0) return;
    const chunks = pending;
    const total = size;
    pending = [];
    size = 0;
    const { bytesWritten } = await file.writev(chunks).catch(failed);
    // A short write (rare on files) leaves the rest to write from where it stopped.
    let offset = bytesWritten;
    const rest = offset < total ? Buffer.concat(chunks) : null;
    while (rest && offset < total) offset += (await file.write(rest, offset).catch(failed)).bytesWritten;
  };
  return {
    add: async (chunk: Uint8Array) => {
      pending.push(chunk);
      size += chunk.length;
      if (size >= WRITE_BATCH_BYTES) await flush();
    },
    flush,
    failed,
  };
}

function checkIntegrity(
  where: string,
  outcome: FetchOutcome,
  expectedSize: number | undefined,
  expectedSha256: string | undefined,
): void {
  if (expectedSize !== undefined && outcome.bytes !== expectedSize) {
    throw new DownloadIntegrityError(
      `${where}: received ${outcome.bytes} bytes, GitHub reported ${expectedSize}`,
    );
  }
  if (expectedSha256 !== undefined && outcome.sha256 !== expectedSha256) {
    throw new DownloadIntegrityError(
      `${where}: the download's sha256 ${outcome.sha256} differs from the digest GitHub reported (sha256:${expectedSha256})`,
    );
  }
}
