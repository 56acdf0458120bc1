import type { Queryable } from "../../lib/db";

/**
 * The part of PostgREST's protocol the metrics upsert and the restart check use, answered from a
 * real Postgres: POST with `Prefer: resolution=merge-duplicates|ignore-duplicates`,
 * `return=minimal|representation`, `on_conflict` and `columns`; GET with `select`, `limit` and
 * `col=eq.value` filters. Rows go through json_populate_recordset, as PostgREST's own do.
 */
export interface PostgrestAnswer {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is. */
  raw?: string;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
const quote = (name: string) => `"${name}"`;

export function error(status: number, code: string, message: string): PostgrestAnswer {
  return { status, body: { code, details: null, hint: null, message } };
}

/** SQLSTATE → HTTP status, after PostgREST's table (the codes the upsert can meet). */
const SQLSTATE_STATUS: Record<string, number> = {
  "23505": 409,
  "23503": 409,
  "23502": 400,
  "23514": 400,
  "22P02": 400,
  "22007": 400,
  "22008": 400,
  "22003": 400,
  "42703": 400,
  "42501": 403,
};

async function tableColumns(db: Queryable, table: string): Promise<Set<string>> {
  const { rows } = await db.query<{ column_name: string }>(
    "select column_name from information_schema.columns where table_schema = 'public' and table_name = $1",
    [table],
  );
  return new Set(rows.map((r) => r.column_name));
}

async function primaryKey(db: Queryable, table: string): Promise<string[]> {
  const { rows } = await db.query<{ attname: string }>(
    `select a.attname from pg_index i
       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
      where i.indrelid = $1::regclass and i.indisprimary`,
    [`public.${quote(table)}`],
  );
  return rows.map((r) => r.attname);
}

function parsePrefer(header: string | undefined): Map<string, string> {
  const prefer = new Map<string, string>();
  for (const part of (header ?? "").split(",")) {
    const [key, value] = part.trim().split("=");
    if (key && value) prefer.set(key.trim(), value.trim());
  }
  return prefer;
}

function columnList(value: string): string[] {
  return value.split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
}

function unknownColumn(table: string, columns: readonly string[], known: Set<string>) {
  const bad = columns.find((c) => !IDENT.test(c) || !known.has(c));
  return bad === undefined
    ? null
    : error(400, "PGRST204", `Could not find the '${bad}' column of '${table}' in the schema cache`);
}

export async function answerUpsert(
  db: Queryable,
  table: string,
  params: URLSearchParams,
  preferHeader: string | undefined,
  text: string,
): Promise<PostgrestAnswer> {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return error(400, "PGRST102", "Empty or invalid json");
  }
  const rows = Array.isArray(payload) ? (payload as unknown[]) : [payload];
  if (rows.some((r) => typeof r !== "object" || r === null || Array.isArray(r))) {
    return error(400, "PGRST102", "All object keys must match");
  }
  const objects = rows as Record<string, unknown>[];
  const columns = params.has("columns")
    ? columnList(params.get("columns") ?? "")
    : [...new Set(objects.flatMap((r) => Object.keys(r)))];
  const known = await tableColumns(db, table);
  const prefer = parsePrefer(preferHeader);
  const resolution = prefer.get("resolution");
  const target = params.has("on_conflict")
    ? columnList(params.get("on_conflict") ?? "")
    : resolution
      ? await primaryKey(db, table)
      : [];
  const bad = unknownColumn(table, [...columns, ...target], known);
  if (bad) return bad;

  const list = columns.map(quote).join(", ");
  let sql = `insert into ${quote(table)} (${list}) select ${list} from json_populate_recordset(null::${quote(table)}, $1::json)`;
  if (resolution === "merge-duplicates" || resolution === "ignore-duplicates") {
    const updates = columns
      .filter((c) => !target.includes(c))
      .map((c) => `${quote(c)} = excluded.${quote(c)}`);
    const action =
      resolution === "ignore-duplicates" || updates.length === 0
        ? "nothing"
        : `update set ${updates.join(", ")}`;
    sql += ` on conflict (${target.map(quote).join(", ")}) do ${action}`;
  }
  const representation = prefer.get("return") === "representation";
  if (representation) sql += " returning *";
  try {
    const result = await db.query(sql, [JSON.stringify(objects)]);
    const count = result.rows.length;
    return representation
      ? { status: 201, headers: { "content-range": count ? `0-${count - 1}/*` : "*/*" }, body: result.rows }
      : { status: 201, headers: { "content-range": "*/*" } };
  } catch (cause) {
    const code = String((cause as { code?: unknown }).code ?? "");
    return error(SQLSTATE_STATUS[code] ?? 500, code, (cause as Error).message);
  }
}

export async function answerGet(
  db: Queryable,
  table: string,
  params: URLSearchParams,
): Promise<PostgrestAnswer> {
  const known = await tableColumns(db, table);
  const select = columnList(params.get("select") ?? "*");
  const columns = select.length === 1 && select[0] === "*" ? [] : select;
  const filters: [string, string][] = [];
  for (const [key, value] of params) {
    if (key === "select" || key === "limit") continue;
    if (!value.startsWith("eq.")) return error(400, "PGRST100", `unsupported filter on ${key}`);
    filters.push([key, value.slice(3)]);
  }
  const bad = unknownColumn(table, [...columns, ...filters.map(([c]) => c)], known);
  if (bad) return bad;
  const limit = params.get("limit");
  if (limit !== null && !/^\d+$/.test(limit)) return error(400, "PGRST100", "limit: expected an integer");
  const where = filters.map(([c], i) => `${quote(c)}::text = $${i + 1}`).join(" and ");
  const sql =
    `select ${columns.length ? columns.map(quote).join(", ") : "*"} from ${quote(table)}` +
    (where ? ` where ${where}` : "") +
    (limit !== null ? ` limit ${limit}` : "");
  const { rows } = await db.query(
    sql,
    filters.map(([, v]) => v),
  );
  return {
    status: 200,
    headers: { "content-range": rows.length ? `0-${rows.length - 1}/*` : "*/0" },
    body: rows,
  };
}
