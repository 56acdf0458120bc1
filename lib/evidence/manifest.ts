import { promises as fs } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { InputError } from "../errors";
import { listBackups, withFileLock, writeFileAtomic } from "./atomic-file";
import { parseJsonStrict } from "./json-strict";
import {
  EVIDENCE_TYPES,
  manifestEntrySchema,
  manifestSchema,
  type Manifest,
  type ManifestEntry,
} from "./manifest-entry";

/**
 * _manifest.json operations (DESIGN §3). Every one runs under the manifest's lock; every write
 * goes through writeFileAtomic, so a reader sees the old or the new file, never a mix.
 */

export interface ManifestOptions {
  signal?: AbortSignal;
  /** The clock for generated_at_utc (tests pin it). */
  now?: () => Date;
  /** Called under the lock right before anything is written (the kill switch check plugs in here). */
  beforeWrite?: () => void | Promise<void>;
}

export interface ManifestUpdateResult {
  file: string;
  entry: ManifestEntry;
  replaced: boolean;
  backupPath: string | null;
  entryCount: number;
}

export interface ManifestRollbackResult {
  file: string;
  restoredFrom: string;
  entryCount: number;
  backupsLeft: number;
}

export interface ManifestCheckReport {
  ok: boolean;
  file: string;
  entryCount: number;
  problems: string[];
}

/**
 * The bytes this process last validated per manifest. Equal bytes validate equally, so a series of
 * updates in one process (the dashboard, the benchmark) validates each version once, not twice.
 */
const lastValidated = new Map<string, { text: string; manifest: Manifest }>();

/** The committed `_manifest.json.template`: the empty shape with one placeholder entry. */
export function createManifestTemplate(eventDir = "docs/reports/2025-11-14"): Manifest {
  return {
    generated_at_utc: "2025-11-14T00:00:00Z",
    entries: [
      {
        run_id: "RUN_ID",
        artifact_path: `${eventDir}/artifacts/RUN_ID/raw/ARTIFACT.zip`,
        evidence_type: "artifact",
        recorded_at_utc: "2025-11-14T00:00:00Z",
        sha_parity: "unknown",
        notes: "placeholder entry: replace it with scripts/phase4-manifest-atomic.sh",
      },
    ],
  };
}

export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * The manifest, or an empty one when the file does not exist yet. Readers take no lock: writers
 * replace the file by rename, so a reader always sees one whole version.
 */
export async function readManifest(file: string, options: ManifestOptions = {}): Promise<Manifest> {
  options.signal?.throwIfAborted();
  const manifest = await readManifestUnlocked(file, options);
  return structuredClone(manifest); // the caller may change it; the cached copy must stay as validated
}

/** Adds the entry, or replaces the one with the same run_id and evidence_type. */
export async function updateManifestEntry(
  file: string,
  entry: ManifestEntry,
  options: ManifestOptions = {},
): Promise<ManifestUpdateResult> {
  const checked = manifestEntrySchema.safeParse(entry);
  if (!checked.success)
    throw new InputError(`Entry for ${file}: ${describeIssues(checked.error).join("; ")}`);
  const next = checked.data;
  return withFileLock(
    file,
    async () => {
      const current = await readManifestUnlocked(file, options);
      const others = current.entries.filter((e) => !samePair(e, next));
      const entries = sortEntries([...others, next]);
      const manifest: Manifest = {
        generated_at_utc: (options.now ?? (() => new Date()))().toISOString(),
        entries,
      };
      options.signal?.throwIfAborted();
      const text = serializeManifest(manifest);
      await options.beforeWrite?.();

      const { backupPath } = await writeFileAtomic(file, text, {
        validate: (t) => validateManifestText(t, file),
      });
      lastValidated.set(file, { text, manifest });
      return {
        file,
        entry: next,
        replaced: others.length < current.entries.length,
        backupPath,
        entryCount: entries.length,
      };
    },
    { signal: options.signal },
  );
}

/**
 * Several entries in one locked, atomic write (a collection records a run's artifact and provenance
 * together, and a window collection several runs at once): each replaces the entry with the same
 * run_id and evidence_type; of two for the same pair in `entries`, the last wins.
 */
export async function updateManifestEntries(
  file: string,
  entries: readonly ManifestEntry[],
  options: ManifestOptions = {},
): Promise<{ file: string; entryCount: number; backupPath: string | null }> {
  const checked = entries.map((entry) => {
    const result = manifestEntrySchema.safeParse(entry);
    if (!result.success)
      throw new InputError(
        `Entry for ${file} (run_id "${entry.run_id}"): ${describeIssues(result.error).join("; ")}`,
      );
    return result.data;
  });
  const incoming = checked.filter((e, i) => !checked.slice(i + 1).some((later) => samePair(e, later)));
  return withFileLock(
    file,
    async () => {
      const current = await readManifestUnlocked(file, options);
      const others = current.entries.filter((e) => !incoming.some((next) => samePair(e, next)));
      const manifest: Manifest = {
        generated_at_utc: (options.now ?? (() => new Date()))().toISOString(),
        entries: sortEntries([...others, ...incoming]),
      };
      options.signal?.throwIfAborted();
      const text = serializeManifest(manifest);
      await options.beforeWrite?.();
      const { backupPath } = await writeFileAtomic(file, text, {
        validate: (t) => validateManifestText(t, file),
      });
      lastValidated.set(file, { text, manifest });
      return { file, entryCount: manifest.entries.length, backupPath };
    },
    { signal: options.signal },
  );
}

/** Restores the newest backup atomically, then drops it so the next rollback steps further back. */
export async function rollbackManifest(
  file: string,
  options: ManifestOptions = {},
): Promise<ManifestRollbackResult> {
  return withFileLock(
    file,
    async () => {
      const current = await fs.readFile(file, "utf8").catch(() => null);
      const backups = await listBackups(file);
      let restore: { path: string; text: string; index: number } | undefined;
      // A writer killed between keeping its backup and renaming leaves a backup equal to the
      // current file; restoring it would change nothing, so it is dropped and the next one used.
      for (const [index, backup] of backups.entries()) {
        const text = await fs.readFile(backup.path, "utf8");
        if (text !== current) {
          restore = { path: backup.path, text, index };
          break;
        }
        await fs.rm(backup.path, { force: true });
      }
      if (!restore) {
        throw new InputError(
          `${file}: no backup to roll back to (none under ${path.join(path.dirname(file), ".backups")})`,
        );
      }
      const { text } = restore;
      const manifest = validateManifestText(text, restore.path);
      options.signal?.throwIfAborted();
      // No new backup: the restored version must not become the next rollback target.
      await options.beforeWrite?.();

      await writeFileAtomic(file, text, { validate: (t) => validateManifestText(t, file), backup: false });
      await fs.rm(restore.path, { force: true });
      return {
        file,
        restoredFrom: restore.path,
        entryCount: manifest.entries.length,
        backupsLeft: backups.length - restore.index - 1,
      };
    },
    { signal: options.signal },
  );
}

/** Validates the manifest and lists every problem (DESIGN §3 `--check`, §7 restart checks). */
export async function checkManifest(
  file: string,
  options: ManifestOptions = {},
): Promise<ManifestCheckReport> {
  options.signal?.throwIfAborted();
  return checkManifestUnlocked(file); // lock-free, as readManifest
}

export async function listManifestBackups(file: string) {
  return listBackups(file);
}

export type ManifestChange = { kind: "update"; entry: ManifestEntry } | { kind: "rollback" };
export type ManifestChangeResult =
  ({ kind: "update" } & ManifestUpdateResult) | ({ kind: "rollback" } & ManifestRollbackResult);

/**
 * The one mutating entry point the CLI (and later the dashboard) calls. The kill switch
 * (DESIGN §7, exit 3), role check and audit log wrap this function; it does not check them itself.
 */
export async function applyManifestChange(
  file: string,
  change: ManifestChange,
  options: ManifestOptions = {},
): Promise<ManifestChangeResult> {
  if (change.kind === "rollback") return { kind: "rollback", ...(await rollbackManifest(file, options)) };
  return { kind: "update", ...(await updateManifestEntry(file, change.entry, options)) };
}

async function readManifestUnlocked(file: string, options: ManifestOptions): Promise<Manifest> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return { generated_at_utc: (options.now ?? (() => new Date()))().toISOString(), entries: [] };
  }
  const known = lastValidated.get(file);
  if (known?.text === text) return known.manifest;
  const manifest = parseManifestText(text, file);
  lastValidated.set(file, { text, manifest });
  return manifest;
}

function parseManifestText(text: string, file: string): Manifest {
  const value = parseJsonStrict(text, file);
  const result = manifestSchema.safeParse(value);
  if (!result.success) throw new InputError(`${file}: ${describeIssues(result.error, value).join("; ")}`);
  return result.data;
}

/** What a written (or restored) file must satisfy: strict JSON, the schema, one entry per pair. */
function validateManifestText(text: string, file: string): Manifest {
  const manifest = parseManifestText(text, file);
  const duplicates = findDuplicatePairs(manifest.entries);
  if (duplicates.length > 0) throw new InputError(`${file}: ${duplicates.join("; ")}`);
  return manifest;
}

async function checkManifestUnlocked(file: string): Promise<ManifestCheckReport> {
  const report = (problems: string[], entryCount = 0) => ({
    ok: problems.length === 0,
    file,
    entryCount,
    problems,
  });
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    return report([`${file}: cannot be read (${(error as Error).message})`]);
  }
  let value: unknown;
  try {
    value = parseJsonStrict(text, file);
  } catch (error) {
    return report([(error as Error).message]);
  }
  const entries = (value as { entries?: unknown } | null)?.entries;
  const entryCount = Array.isArray(entries) ? entries.length : 0;
  const result = manifestSchema.safeParse(value);
  if (!result.success) return report(describeIssues(result.error, value), entryCount);
  return report(findDuplicatePairs(result.data.entries), entryCount);
}

function samePair(a: ManifestEntry, b: ManifestEntry): boolean {
  return a.run_id === b.run_id && a.evidence_type === b.evidence_type;
}

/** Stable order: run_id, then evidence type in EVIDENCE_TYPES order. */
function sortEntries(entries: ManifestEntry[]): ManifestEntry[] {
  const rank = (e: ManifestEntry) => EVIDENCE_TYPES.indexOf(e.evidence_type);
  return entries.sort((a, b) => (a.run_id < b.run_id ? -1 : a.run_id > b.run_id ? 1 : rank(a) - rank(b)));
}

function findDuplicatePairs(entries: ManifestEntry[]): string[] {
  const seen = new Map<string, number>();
  const problems: string[] = [];
  entries.forEach((entry, index) => {
    const key = `${entry.run_id}\u0000${entry.evidence_type}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else {
      problems.push(
        `entries[${index}]: run_id "${entry.run_id}" with evidence_type "${entry.evidence_type}" is already ` +
          `recorded at entries[${first}]; expected one entry per run_id and evidence_type`,
      );
    }
  });
  return problems;
}

/** `entries[3].artifact_path (run_id "…"): expected a path without '..'` for each issue. */
function describeIssues(error: z.ZodError, value?: unknown): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.map((p, i) =>
      typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`,
    );
    const index = issue.path[0] === "entries" ? issue.path[1] : undefined;
    const runId = typeof index === "number" ? runIdAt(value, index) : undefined;
    const label = `${where.join("") || "(top level)"}${runId ? ` (run_id "${runId}")` : ""}`;
    const message = /^(Invalid|Expected|Unrecognized|Too )/.test(issue.message)
      ? issue.message
      : `expected ${issue.message}`;
    return `${label}: ${message}`;
  });
}

function runIdAt(value: unknown, index: number): string | undefined {
  const entries = (value as { entries?: unknown } | undefined)?.entries;
  const runId = Array.isArray(entries)
    ? (entries[index] as { run_id?: unknown } | undefined)?.run_id
    : undefined;
  return typeof runId === "string" ? runId : undefined;
}
