import type { RunRecord } from "../evidence/run-record";

/**
 * How the runs mirror ships run records to Postgres in bulk. The embedded database takes a query
 * as one text message with every value inlined, and parses JSON slowly (jsonb_to_recordset: ~33 µs
 * a run in WASM), so rows travel as delimited text split by string_to_table/string_to_array
 * (~6 µs a run) inside a dollar-quoted literal that needs no escaping. A chunk whose values hold
 * one of the three control characters used as delimiters falls back to JSON.
 */
export const RUN_COLUMNS = [
  ["run_id", "text"],
  ["trigger_mode", "text"],
  ["status", "text"],
  ["sha_parity", "boolean"],
  ["retries", "integer"],
  ["retry_origin", "text"],
  ["run_started_at_utc", "timestamptz"],
  ["run_completed_at_utc", "timestamptz"],
  ["duration_sec", "double precision"],
  ["prov_sha", "text"],
  ["computed_sha", "text"],
  ["observer_run_id", "text"],
  ["observer_notes", "text"],
  ["window_days", "integer"],
  ["retry_exhausted", "boolean"],
  ["supabase_response_code", "integer"],
  ["head_sha", "text"],
  ["workflow_name", "text"],
  ["branch", "text"],
  ["source", "text"],
] as const satisfies readonly (readonly [keyof RunRecord, string])[];

const FIELD = "\u001f";
const ROW = "\u001e";
const NULL = "\u001a";
const COLUMN_NAMES = RUN_COLUMNS.map(([name]) => name).join(", ");

/** One run as a delimited line (field order of RUN_COLUMNS); absent and null are both NULL. */
export function encodeRun(run: RunRecord): { line: string; nulls: number } {
  let line = "";
  let nulls = 0;
  for (let i = 0; i < RUN_COLUMNS.length; i++) {
    const value = run[RUN_COLUMNS[i]![0]];
    if (i > 0) line += FIELD;
    if (value === undefined || value === null) {
      line += NULL;
      nulls++;
    } else line += String(value);
  }
  return { line, nulls };
}

/**
 * The run's fingerprint over the values encodeRun writes: equal fingerprints, equal rows in the
 * table. A 53-bit hash (cyrb53) computed in JavaScript straight from the values: neither a crypto
 * call per run nor building each run's line first is cheaper at 100,000 runs, and it only has to
 * notice a change (missing one takes a 53-bit collision).
 */
export function fingerprintRun(run: RunRecord): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < RUN_COLUMNS.length; i++) {
    const value = run[RUN_COLUMNS[i]![0]];
    const text =
      value === undefined || value === null ? NULL : typeof value === "string" ? value : String(value);
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    // A separator between values: ("ab", "c") and ("a", "bc") differ.
    h1 = Math.imul(h1 ^ 0x1f, 2654435761);
    h2 = Math.imul(h2 ^ 0x1f, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) n++;
  return n;
}

export interface EncodedChunk {
  /** The SELECT yielding (event, …RUN_COLUMNS) for the chunk; `$1` is the event, `$2` the payload. */
  select: string;
  payload: string;
}

/**
 * A chunk of runs as a SELECT over its payload. The delimiter counts prove no value held a
 * delimiter; otherwise the chunk goes as JSON, which any value survives.
 */
export function encodeChunk(
  runs: readonly RunRecord[],
  lines: readonly string[],
  nulls: number,
): EncodedChunk {
  const text = lines.join(ROW);
  const fields = lines.length * (RUN_COLUMNS.length - 1);
  if (count(text, FIELD) === fields && count(text, ROW) === lines.length - 1 && count(text, NULL) === nulls) {
    const cast = RUN_COLUMNS.map(([, type], i) => (type === "text" ? `a[${i + 1}]` : `a[${i + 1}]::${type}`));
    return {
      select: `select $1::text, ${cast.join(", ")} from (select string_to_array(l, chr(31), chr(26)) as a from string_to_table($2::text, chr(30)) as l) as x`,
      payload: text,
    };
  }
  const record = RUN_COLUMNS.map(([name, type]) => `${name} ${type}`).join(", ");
  return {
    select: `select $1::text, ${COLUMN_NAMES} from json_to_recordset($2::json) as r(${record})`,
    payload: JSON.stringify(runs),
  };
}

const UPDATE_SET = RUN_COLUMNS.slice(1)
  .map(([name]) => `${name} = excluded.${name}`)
  .join(", ");

/** Inserts the chunk's runs, replacing rows of the same (event, run_id). */
export function upsertStatement(select: string): string {
  return `insert into runs (event, ${COLUMN_NAMES}) ${select}
    on conflict (event, run_id) do update set ${UPDATE_SET}, updated_at = now()`;
}

/** Inserts the chunk's runs (the event has no rows left: a full mirror). */
export function insertStatement(select: string): string {
  return `insert into runs (event, ${COLUMN_NAMES}) ${select}`;
}
