import { promises as fs } from "node:fs";
import type { z } from "zod";
import { InputError } from "../errors";
import { withFileLock, writeFileAtomic, type AtomicWriteResult } from "./atomic-file";
import { parseJsonStrict } from "./json-strict";
import { runRecordSchema, type RunRecord } from "./run-record";
import { checkRunRecordFast } from "./run-record-fast";

/**
 * RUNS_SUMMARY.json (DESIGN §3): an array of run records, one per run_id, sorted by
 * run_started_at_utc. Reads validate every record; writes go through the lock and the atomic write.
 */

export interface RunIssue {
  field: string;
  expected: string;
}

/** zod issues of one record as (field, expectation) pairs, the first per field (a bad format also fails later checks). */
export function describeRunIssues(issues: readonly z.core.$ZodIssue[], raw: unknown): RunIssue[] {
  const record = raw !== null && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const described = issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "(record)";
    const key = issue.path[0];
    const missing = typeof key === "string" && !(key in record);
    let expected = issue.message;
    if (issue.code === "invalid_type" && issue.message.startsWith("Invalid input")) {
      const base =
        issue.path.length === 0
          ? "an object"
          : field === "retry_origin"
            ? "a string or null"
            : `a ${issue.expected}`;
      expected = missing ? `${base} (the field is missing)` : base;
    } else if (issue.code === "invalid_value") {
      expected = `one of ${issue.values.map(String).join(", ")}`;
    }
    return { field, expected };
  });
  return described.filter((d, i) => described.findIndex((other) => other.field === d.field) === i);
}

/** Validates parsed JSON as a runs summary; every problem names the index, run_id, field and expectation. */
export function validateRunsSummary(value: unknown, file: string): RunRecord[] {
  if (!Array.isArray(value)) {
    throw new InputError(
      `${file}: expected a JSON array of run records, got ${value === null ? "null" : typeof value}`,
    );
  }
  const runs: RunRecord[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  value.forEach((raw: unknown, index) => {
    // The hand check accepts only what zod would return unchanged; zod decides (and explains) the rest.
    const fast = checkRunRecordFast(raw);
    const result = fast ? ({ success: true, data: fast } as const) : runRecordSchema.safeParse(raw);
    // Built only for a problem: 100,000 valid runs need no label.
    const where = () => {
      const runId =
        raw !== null && typeof raw === "object" ? (raw as { run_id?: unknown }).run_id : undefined;
      return `[${index}]${typeof runId === "string" ? ` (run_id ${runId})` : ""}`;
    };
    if (!result.success) {
      for (const { field, expected } of describeRunIssues(result.error.issues, raw)) {
        problems.push(`${where()} ${field}: expected ${expected}`);
      }
      return;
    }
    const first = seen.get(result.data.run_id);
    if (first !== undefined)
      problems.push(`${where()} run_id: expected each run_id once (also at [${first}])`);
    seen.set(result.data.run_id, index);
    runs.push(result.data);
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 20).join("; ");
    const more = problems.length > 20 ? `; … and ${problems.length - 20} more` : "";
    throw new InputError(`${file}: invalid runs summary: ${shown}${more}`);
  }
  return runs;
}

/** The runs in `file`; a missing file is an empty summary. */
export async function readRunsSummary(file: string): Promise<RunRecord[]> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new InputError(`${file}: cannot read the runs summary (${(error as Error).message})`, {
      cause: error,
    });
  }
  return validateRunsSummary(parseJsonStrict(text, file), file);
}

/** Runs sorted by start time, then run_id. Pure: the input is not touched. */
export function sortRuns(runs: readonly RunRecord[]): RunRecord[] {
  // Timestamps may carry fractions or +00:00, so compare instants, not strings.
  const keyed = runs.map((run) => ({ run, at: Date.parse(run.run_started_at_utc) }));
  keyed.sort(
    (a, b) => a.at - b.at || (a.run.run_id < b.run.run_id ? -1 : a.run.run_id > b.run.run_id ? 1 : 0),
  );
  return keyed.map((k) => k.run);
}

/** One record per run_id (incoming wins), sorted. Pure. */
export function mergeRunRecords(existing: readonly RunRecord[], incoming: readonly RunRecord[]): RunRecord[] {
  const byId = new Map<string, RunRecord>();
  for (const run of existing) byId.set(run.run_id, run);
  for (const run of incoming) byId.set(run.run_id, run);
  return sortRuns([...byId.values()]);
}

/** The file's text: validated, sorted, two-space JSON with a final newline. */
export function serializeRunsSummary(runs: readonly RunRecord[], file: string): string {
  return `${JSON.stringify(sortRuns(validateRunsSummary(runs, file)), null, 2)}\n`;
}

const validateOnDisk = (file: string) => (text: string) => {
  validateRunsSummary(parseJsonStrict(text, file), file);
};

/** Replaces the summary with `runs` (validated, sorted) under the lock. */
export async function writeRunsSummary(
  file: string,
  runs: readonly RunRecord[],
  options: { signal?: AbortSignal } = {},
): Promise<AtomicWriteResult> {
  const text = serializeRunsSummary(runs, file);
  return withFileLock(file, () => writeFileAtomic(file, text, { validate: validateOnDisk(file) }), options);
}

/**
 * Read → change → write under one lock, so concurrent importers and collectors never lose a run.
 * Returns the runs as written.
 */
export async function updateRunsSummary(
  file: string,
  change: (runs: RunRecord[]) => readonly RunRecord[] | Promise<readonly RunRecord[]>,
  options: { signal?: AbortSignal } = {},
): Promise<{ runs: RunRecord[]; backupPath: string | null }> {
  return withFileLock(
    file,
    async () => {
      const next = await change(await readRunsSummary(file));
      options.signal?.throwIfAborted();
      const text = serializeRunsSummary(next, file);
      const { backupPath } = await writeFileAtomic(file, text, { validate: validateOnDisk(file) });
      return { runs: sortRuns(next), backupPath };
    },
    options,
  );
}

interface CacheEntry {
  key: string;
  runs: Promise<readonly RunRecord[]>;
}

// One per process, on globalThis so Next's separate module graphs (the start-up warm-up in
// instrumentation.ts, the routes) share it.
const holder = globalThis as typeof globalThis & { __auditloopRunsSummaries?: Map<string, CacheEntry> };
const cache = (holder.__auditloopRunsSummaries ??= new Map<string, CacheEntry>());
const cacheKey = (stat: { ino: bigint; mtimeNs: bigint; size: bigint }) =>
  `${stat.ino}:${stat.mtimeNs}:${stat.size}`;

/**
 * Hands runs this process has just read and validated to the cache, with the file's identity as
 * stat saw it before the read (a replacement since then changes the identity: read again).
 */
export function rememberRunsSummary(
  file: string,
  stat: { ino: bigint; mtimeNs: bigint; size: bigint },
  runs: readonly RunRecord[],
): void {
  cache.set(file, { key: cacheKey(stat), runs: Promise.resolve(runs) });
}

/**
 * The dashboard reads through this on every request: the file is parsed again only when its
 * identity changed. The atomic write renames a new inode in, so inode + mtime + size catches
 * every replacement, even two within one mtime tick. Concurrent callers share one read.
 */
export async function loadRunsSummaryCached(file: string): Promise<readonly RunRecord[]> {
  const stat = await fs.stat(file, { bigint: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  const key = stat ? cacheKey(stat) : "missing";
  const hit = cache.get(file);
  if (hit && hit.key === key) return hit.runs;
  const runs = stat ? readRunsSummary(file) : Promise.resolve([]);
  const entry = { key, runs };
  cache.set(file, entry);
  // A failed read is not remembered: the next request tries again.
  runs.catch(() => {
    if (cache.get(file) === entry) cache.delete(file);
  });
  return runs;
}
