import { chmod, mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Entry } from "yauzl";
import { InputError } from "../errors";
import type { DigestAlgorithm } from "../evidence/digest";
import { pathExists, replaceFolder } from "../evidence/replace-folder";
import { makeDirs } from "./created-dirs";
import { vetEntry, writeEntry, type Refuse } from "./extract-entry";
import { openZipFile } from "./zip-reader";
import { EntryPaths, refusalFromYauzl, UnsafeArchiveError } from "./zip-safety";

export interface ExtractOptions {
  zipFile: string;
  /** Must not exist yet (unless replaceExisting): the archive appears there whole or not at all. */
  targetDir: string;
  maxTotalBytes: number;
  maxEntries: number;
  signal?: AbortSignal;
  replaceExisting?: boolean;
  /** SHA-256 always; add "sha512" for provenance that carries only SHA-512 subjects. */
  algorithms?: readonly DigestAlgorithm[];
}

export interface ExtractedFile {
  /** Relative to the target, "/"-separated. */
  path: string;
  size: number;
  sha256: string;
  sha512?: string;
}

export interface ExtractResult {
  targetDir: string;
  files: ExtractedFile[];
  totalBytes: number;
}

/**
 * Extracts into a fresh staging folder beside the target and renames it into place only when every
 * entry passed, so a refused or aborted archive leaves nothing behind. Each file is hashed as it is
 * written (one pass over the bytes, constant memory).
 */
export async function extractZipSafely(options: ExtractOptions): Promise<ExtractResult> {
  const { signal } = options;
  signal?.throwIfAborted();
  const target = path.resolve(options.targetDir);
  const parent = path.dirname(target);
  if (!options.replaceExisting && (await pathExists(target))) {
    throw new InputError(`${target}: the extraction target already exists; remove it or ask to replace it`);
  }
  const undoDirs = await makeDirs(parent);
  const staging = await mkdtemp(path.join(parent, `.${path.basename(target)}.extract-`));
  try {
    const { files, totalBytes } = await extractInto(staging, options);
    signal?.throwIfAborted();
    await chmod(staging, 0o755); // mkdtemp makes it 0700; the target is an ordinary folder
    await moveIntoPlace(staging, target, options.replaceExisting === true);
    return { targetDir: target, files, totalBytes };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    await undoDirs();
    throw signal?.aborted ? signal.reason : error;
  }
}

async function extractInto(staging: string, options: ExtractOptions) {
  const { zipFile, maxEntries, maxTotalBytes, signal } = options;
  const zip = await openZipFile(zipFile, {
    lazyEntries: true,
    decodeStrings: true,
    validateEntrySizes: true,
    strictFileNames: true,
  }).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code) throw new InputError(`${zipFile}: cannot open the zip file (${code})`, { cause: error });
    throw refusalFromYauzl(zipFile, error, 0, null);
  });
  // After an early exit eachEntry stops listening; a late error must not crash the process.
  zip.on("error", () => undefined);
  try {
    if (zip.entryCount > maxEntries) {
      const detail = `the archive has ${zip.entryCount} entries, over the cap of ${maxEntries}`;
      throw new UnsafeArchiveError(zipFile, null, "entries-over-cap", detail);
    }
    const paths = new EntryPaths();
    const files: ExtractedFile[] = [];
    let totalBytes = 0;
    let index = 0;
    let previous: string | null = null;
    const entries = zip.eachEntry();
    for (;;) {
      signal?.throwIfAborted();
      const next = await entries.next().catch((error: unknown) => {
        throw refusalFromYauzl(zipFile, error, index + 1, previous);
      });
      if (next.done) break;
      const entry: Entry = next.value;
      index += 1;
      previous = entry.fileName;
      const refuse: Refuse = (rule, detail, cause) =>
        new UnsafeArchiveError(
          zipFile,
          entry.fileName,
          rule,
          detail,
          cause === undefined ? undefined : { cause },
        );

      const { kind, segments, destination } = vetEntry(entry, staging, paths, refuse);
      if (kind === "directory") {
        await mkdir(destination, { recursive: true });
        continue;
      }
      if (totalBytes + entry.uncompressedSize > maxTotalBytes) {
        const detail = `${totalBytes + entry.uncompressedSize} bytes declared so far, over the cap of ${maxTotalBytes}`;
        throw refuse("total-over-cap", detail);
      }
      await mkdir(path.dirname(destination), { recursive: true });
      const written = await writeEntry(zip, entry, destination, options, refuse);
      totalBytes += written.size;
      files.push({ path: segments.join("/"), ...written });
    }
    return { files, totalBytes };
  } finally {
    zip.close();
  }
}

async function moveIntoPlace(staging: string, target: string, replace: boolean): Promise<void> {
  if (replace) await replaceFolder(staging, target);
  else await rename(staging, target);
}
