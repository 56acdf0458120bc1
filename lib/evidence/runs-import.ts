import { promises as fs } from "node:fs";
import { InputError } from "../errors";
import { runRecordSchema, type RunRecord } from "./run-record";
import { readCsvRows, readJsonRows } from "./runs-import-rows";
import { findStatusFlips, RunStatusConflictError } from "./run-status-conflict";
import { describeRunIssues, mergeRunRecords, updateRunsSummary } from "./runs-summary";

/**
 * Import of Phase 3 run results (DESIGN §1.1): a JSON array of run records or a CSV with the same
 * columns. Every row is validated and every bad one reported, so one pass fixes the whole file.
 */

export type RunSource = NonNullable<RunRecord["source"]>;

export interface InvalidRow {
  /** 1-based data row (JSON: array element; CSV: record after the header). */
  row: number;
  /** CSV only: the line the record starts on. */
  line?: number;
  run_id?: string;
  field: string;
  expected: string;
}

export interface ParsedRuns {
  format: "json" | "csv";
  runs: RunRecord[];
  invalid: InvalidRow[];
}

/** Parses and validates every row; the format is told by content (JSON starts with `[`). */
export function parseRunsFile(text: string, file: string, options: { source?: RunSource } = {}): ParsedRuns {
  const body = text.replace(/^\uFEFF/, "");
  const format = body.trimStart().startsWith("[") ? "json" : "csv";
  const rows = format === "json" ? readJsonRows(body, file) : readCsvRows(body, file);
  const runs: RunRecord[] = [];
  const invalid: InvalidRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, line, value, early } of rows) {
    const input = options.source && isObject(value) ? { ...value, source: options.source } : value;
    const result = runRecordSchema.safeParse(input);
    const flagged = new Set(early.map((e) => e.field));
    const issues = [
      ...early,
      ...(result.success
        ? []
        : describeRunIssues(result.error.issues, input).filter((i) => !flagged.has(i.field))),
    ];
    const runId =
      isObject(value) && typeof value.run_id === "string" && value.run_id !== "" ? value.run_id : undefined;
    if (result.success) {
      const first = seen.get(result.data.run_id);
      if (first !== undefined)
        issues.push({ field: "run_id", expected: `a run_id not already on row ${first}` });
      else seen.set(result.data.run_id, row);
    }
    if (issues.length === 0 && result.success) runs.push(result.data);
    for (const issue of issues)
      invalid.push({
        row,
        ...(line === undefined ? {} : { line }),
        ...(runId ? { run_id: runId } : {}),
        ...issue,
      });
  }
  return { format, runs, invalid };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** One line per problem: `FILE: row 3 (line 4, run_id 42): field sha_parity: expected true or false`. */
export function formatInvalidRow(file: string, r: InvalidRow): string {
  const where = [
    r.line === undefined ? "" : `line ${r.line}`,
    r.run_id === undefined ? "" : `run_id ${r.run_id}`,
  ].filter(Boolean);
  return `${file}: row ${r.row}${where.length > 0 ? ` (${where.join(", ")})` : ""}: field ${r.field}: expected ${r.expected}`;
}

/** Refusal of an import with bad rows; carries every row so the CLI can list them. */
export class RunsImportInvalidError extends InputError {
  constructor(
    readonly file: string,
    readonly invalid: InvalidRow[],
  ) {
    const rows = new Set(invalid.map((r) => r.row)).size;
    super(
      `${file}: ${rows} invalid row${rows === 1 ? "" : "s"}; nothing was written (--skip-invalid imports the valid rows):\n` +
        invalid.map((r) => `  ${formatInvalidRow(file, r)}`).join("\n"),
    );
  }
}

export interface ImportOptions {
  source?: RunSource;
  skipInvalid?: boolean;
  signal?: AbortSignal;
  /** Called under the lock right before anything is written (the kill switch check plugs in here). */
  beforeWrite?: () => void | Promise<void>;
}

export interface ImportResult {
  runsSummary: string;
  imported: number;
  added: number;
  replaced: number;
  /** Rows left out (only with skipInvalid). */
  skipped: number;
  invalid: InvalidRow[];
}

/** Validates `file` and merges its runs into the summary by run_id (incoming wins), atomically. */
export async function importRuns(
  file: string,
  runsSummaryFile: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    throw new InputError(
      `${file}: cannot read the runs file (${(error as Error).message}); expected a JSON or CSV file`,
      { cause: error },
    );
  }
  const { runs, invalid } = parseRunsFile(text, file, { source: options.source });
  if (invalid.length > 0 && !options.skipInvalid) throw new RunsImportInvalidError(file, invalid);
  const skipped = new Set(invalid.map((r) => r.row)).size;
  let added = 0;
  let replaced = 0;
  if (runs.length > 0) {
    await updateRunsSummary(
      runsSummaryFile,
      async (existing) => {
        await options.beforeWrite?.();
        // A recorded success must not silently become a failure (run-status-conflict.ts).
        const flips = findStatusFlips(existing, runs);
        if (flips.length > 0) throw new RunStatusConflictError(runsSummaryFile, flips);
        const known = new Set(existing.map((r) => r.run_id));
        for (const run of runs) {
          if (known.has(run.run_id)) replaced += 1;
          else added += 1;
        }
        return mergeRunRecords(existing, runs);
      },
      { signal: options.signal },
    );
  }
  return { runsSummary: runsSummaryFile, imported: runs.length, added, replaced, skipped, invalid };
}
