import { open, readFile } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors";
import { parseProvenance, type ProvenanceFormat, type ProvenanceSubject } from "../evidence/provenance";

/** One file extracted from an artifact, hashed as it was written. */
export interface CollectedFile {
  /** The GitHub artifact it came from. */
  artifact: string;
  /** Inside the artifact's folder, "/"-separated. */
  relPath: string;
  absPath: string;
  size: number;
  sha256: string;
  sha512?: string;
}

export interface FoundProvenance {
  file: CollectedFile;
  format: ProvenanceFormat;
  subjects: ProvenanceSubject[];
  detectedBy: "name" | "content";
}

// Provenance documents are small; a bigger file is an artifact, not worth reading into memory.
const MAX_PROVENANCE_BYTES = 16 * 1024 * 1024;

/**
 * The provenance files among the extracted ones (DESIGN §4): those whose name matches `pattern`
 * (default `provenance-*.json`; a pattern with a "/" is matched against `<artifact>/<path>`); when
 * none does, every small JSON file is tried and those that read as provenance are kept — the
 * format is always detected from the content. Files that read as neither stay artifacts.
 */
export async function findProvenance(
  files: readonly CollectedFile[],
  pattern: string,
  signal?: AbortSignal,
): Promise<FoundProvenance[]> {
  const named = files.filter((f) => matchesPattern(f, pattern));
  const byName = await readAll(named, "name", signal);
  if (byName.length > 0) return byName;
  const small = files.filter((f) => f.size > 0 && f.size <= MAX_PROVENANCE_BYTES && !named.includes(f));
  return readAll(small, "content", signal);
}

export function matchesPattern(file: Pick<CollectedFile, "artifact" | "relPath">, pattern: string): boolean {
  const subject = pattern.includes("/")
    ? `${file.artifact}/${file.relPath}`
    : path.posix.basename(file.relPath);
  return path.matchesGlob(subject, pattern);
}

async function readAll(
  files: readonly CollectedFile[],
  detectedBy: FoundProvenance["detectedBy"],
  signal?: AbortSignal,
): Promise<FoundProvenance[]> {
  const found: FoundProvenance[] = [];
  for (const file of files) {
    signal?.throwIfAborted();
    if (file.size > MAX_PROVENANCE_BYTES) continue;
    const text = await readJsonLike(file.absPath);
    if (text === null) continue;
    try {
      const { format, subjects } = parseProvenance(text, `${file.artifact}/${file.relPath}`);
      found.push({ file, format, subjects, detectedBy });
    } catch (error) {
      // Not a provenance (an artifact that happens to be JSON): it stays an artifact.
      if (!(error instanceof InputError)) throw error;
    }
  }
  return found;
}

/** The file's text when it starts like JSON (after a BOM and blanks), else null without reading it all. */
async function readJsonLike(file: string): Promise<string | null> {
  const handle = await open(file, "r");
  let start: string;
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    start = head
      .subarray(0, bytesRead)
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .trimStart();
  } finally {
    await handle.close();
  }
  if (!start.startsWith("{") && !start.startsWith("[")) return null;
  return readFile(file, "utf8");
}
