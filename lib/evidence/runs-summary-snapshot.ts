import { subtle } from "node:crypto";
import { promises as fs, readFileSync } from "node:fs";
import { InputError } from "../errors";
import { assertNoDuplicateKeys, parseJsonStrict } from "./json-strict";
import type { RunRecord } from "./run-record";
import { rememberRunsSummary, validateRunsSummary } from "./runs-summary";

/**
 * RUNS_SUMMARY.json read once for a report: the validated runs, the digest of the bytes (the runs
 * mirror skips an unchanged file by it), and a look at the parsed rows before validation (the
 * observer checks them for a run recorded as both success and failure, which validation would
 * only call a duplicate). The runs are handed to the process's cache, so the checklist's
 * verifiers in the same process do not parse the file again.
 *
 * Validation is a pure function of the bytes, so bytes that were validated before need not be
 * validated again: `trust(digest)` says whether these exact bytes were (the runs mirror records
 * the digest of every file it mirrored, and it mirrors only validated runs). The digest carries
 * VALIDATION_VERSION: bump it whenever the run record schema or the file's rules change, and
 * every file is validated afresh once.
 */
export const VALIDATION_VERSION = "runs-summary-v1";

export interface RunsSummarySnapshot {
  file: string;
  exists: boolean;
  runs: RunRecord[];
  /** `runs-summary-v1:<sha256 of the bytes>`; null when the file does not exist. */
  digest: string | null;
  bytes: number;
  /** The bytes had been validated before (trust said so) and were not validated again. */
  trusted: boolean;
}

export interface SnapshotOptions {
  /** Sees the parsed rows before validation; throw to refuse them. */
  inspect?: (rows: unknown) => void | Promise<void>;
  /** Whether bytes with this digest were validated before (then neither inspected nor validated). */
  trust?: (digest: string) => boolean | Promise<boolean>;
  /**
   * Sees the parsed rows before they are trusted or validated: work on them can start while
   * trust is asked (a database round trip). Its results count only if the read succeeds.
   */
  onParsed?: (rows: unknown) => void;
}

export async function readRunsSummarySnapshot(
  file: string,
  options: SnapshotOptions = {},
): Promise<RunsSummarySnapshot> {
  const cannotRead = (error: unknown) =>
    new InputError(`${file}: cannot read the runs summary (${(error as Error).message})`, { cause: error });
  const stat = await fs.stat(file, { bigint: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw cannotRead(error);
  });
  if (!stat) return { file, exists: false, runs: [], digest: null, bytes: 0, trusted: false };
  // Read in one call: fs.promises.readFile goes through the thread pool in 512 KiB pieces, about
  // 250 ms for a 70 MB file against 40 ms here, and the parse right after blocks anyway.
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch (error) {
    throw cannotRead(error);
  }
  // Hashed on the thread pool (Web Crypto) while this thread decodes and parses: ~100 ms at 70 MB.
  const hashing = subtle.digest("SHA-256", buffer);
  const text = buffer.toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = parseJsonStrict(text, file); // throws the error that names the line and column
  }
  options.onParsed?.(value);
  const digest = `${VALIDATION_VERSION}:${Buffer.from(await hashing).toString("hex")}`;
  const trusted = Array.isArray(value) && (await options.trust?.(digest)) === true;
  let runs: RunRecord[];
  if (trusted) {
    runs = value as RunRecord[];
  } else {
    assertNoDuplicateKeys(text, value, file);
    await options.inspect?.(value);
    runs = validateRunsSummary(value, file);
  }
  rememberRunsSummary(file, stat, runs);
  return { file, exists: true, runs, digest, bytes: buffer.length, trusted };
}
