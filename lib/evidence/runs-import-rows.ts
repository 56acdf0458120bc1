import { parse as parseCsv } from "csv-parse/sync";
import { InputError } from "../errors";
import { parseJsonStrict } from "./json-strict";
import type { RunRecord } from "./run-record";

/**
 * The rows of a runs file before the schema sees them: JSON elements as they are, CSV cells
 * coerced to the schema's types (booleans, integers, numbers, null) with their line numbers.
 */

type CellKind =
  | "text"
  | "optionalText"
  | "boolean"
  | "optionalBoolean"
  | "integer"
  | "optionalInteger"
  | "number"
  | "nullableText"
  | "optionalNullableInteger";

// `satisfies` keeps this table in step with the schema: a new field fails to compile until listed.
const COLUMNS = {
  run_id: "text",
  trigger_mode: "text",
  status: "text",
  sha_parity: "boolean",
  retries: "integer",
  retry_origin: "nullableText",
  run_started_at_utc: "text",
  run_completed_at_utc: "text",
  duration_sec: "number",
  prov_sha: "text",
  computed_sha: "text",
  observer_run_id: "text",
  observer_notes: "text",
  window_days: "optionalInteger",
  retry_exhausted: "optionalBoolean",
  supabase_response_code: "optionalNullableInteger",
  head_sha: "optionalText",
  workflow_name: "optionalText",
  branch: "optionalText",
  source: "optionalText",
} as const satisfies Record<keyof RunRecord, CellKind>;

const FIELDS = Object.keys(COLUMNS) as (keyof RunRecord)[];
const REQUIRED = FIELDS.filter((f) => !COLUMNS[f].startsWith("optional"));

type Cell = { value: unknown } | { omit: true } | { expected: string };

function coerceCell(cell: string, kind: CellKind): Cell {
  const empty = cell === "";
  if (empty && kind.startsWith("optional")) return { omit: true };
  if (/^null$/i.test(cell) && (kind === "nullableText" || kind === "optionalNullableInteger"))
    return { value: null };
  switch (kind) {
    case "text":
    case "optionalText":
      return { value: cell };
    case "nullableText":
      return { value: empty ? null : cell };
    case "boolean":
    case "optionalBoolean":
      return /^(true|false)$/i.test(cell)
        ? { value: cell.toLowerCase() === "true" }
        : { expected: "true or false" };
    case "integer":
    case "optionalInteger":
    case "optionalNullableInteger":
      return /^[+-]?\d+$/.test(cell) ? { value: Number(cell) } : { expected: "an integer" };
    case "number":
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell)
        ? { value: Number(cell) }
        : { expected: "a number" };
  }
}

export interface RawRow {
  row: number;
  line?: number;
  value: unknown;
  /** Problems found before the schema runs (CSV cells, unknown keys). */
  early: { field: string; expected: string }[];
}

export function readJsonRows(text: string, file: string): RawRow[] {
  const value = parseJsonStrict(text, file);
  if (!Array.isArray(value)) throw new InputError(`${file}: expected a JSON array of run records`);
  return value.map((item: unknown, index) => {
    const early =
      item !== null && typeof item === "object" && !Array.isArray(item)
        ? Object.keys(item)
            .filter((key) => !(key in COLUMNS))
            .map((key) => ({
              field: key,
              expected: `no such field (run record fields: ${FIELDS.join(", ")})`,
            }))
        : [];
    return { row: index + 1, value: item, early };
  });
}

export function readCsvRows(text: string, file: string): RawRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // LF only, so csv-parse's line count is the file's line count.
    records = parseCsv(text.replace(/\r\n?/g, "\n"), {
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    throw new InputError(`${file}: not valid CSV (${(error as Error).message})`, { cause: error });
  }
  const [header, ...data] = records;
  if (!header)
    throw new InputError(`${file}: empty; expected a JSON array or a CSV header row (${FIELDS.join(",")})`);
  const names = header.record;
  const unknown = names.filter((n) => !(n in COLUMNS));
  const duplicated = names.filter((n, i) => names.indexOf(n) !== i);
  const missing = REQUIRED.filter((f) => !names.includes(f));
  if (unknown.length > 0 || duplicated.length > 0 || missing.length > 0) {
    const parts = [
      unknown.length > 0 ? `unknown columns ${unknown.join(", ")}` : "",
      duplicated.length > 0 ? `repeated columns ${duplicated.join(", ")}` : "",
      missing.length > 0 ? `missing columns ${missing.join(", ")}` : "",
    ].filter(Boolean);
    throw new InputError(
      `${file}: CSV header (line 1): ${parts.join("; ")}; expected the columns ${FIELDS.join(",")}`,
    );
  }
  return data.map(({ record, info }, index) => {
    // info.lines is where the record ends; quoted cells may span lines.
    const line = info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    const value: Record<string, unknown> = {};
    const early: RawRow["early"] = [];
    if (record.length !== names.length) {
      early.push({
        field: "(row)",
        expected: `${names.length} cells like the header (got ${record.length})`,
      });
    }
    names.forEach((name, i) => {
      const cell = record[i];
      if (cell === undefined) return;
      const coerced = coerceCell(cell, COLUMNS[name as keyof RunRecord]);
      if ("expected" in coerced) {
        early.push({
          field: name,
          expected: cell === "" ? `${coerced.expected} (the cell is empty)` : coerced.expected,
        });
        value[name] = cell;
      } else if ("value" in coerced) value[name] = coerced.value;
    });
    return { row: index + 1, line, value, early };
  });
}
