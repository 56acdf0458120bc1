import type { Database, Queryable } from "./types";

/**
 * Statements that carry large text values (the runs mirror's payloads, KPI snapshots). The
 * embedded database's socket takes parameters inlined as escaped literals (lib/db/postgres.ts),
 * and escaping megabytes character by character costs seconds; a dollar-quoted literal needs no
 * escaping at all. Only the statement's template is scanned for `$n`, never the values. A
 * Postgres server takes real parameters.
 */
export type TextStatement = <T = Record<string, unknown>>(
  q: Queryable,
  text: string,
  params: readonly string[],
) => Promise<{ rows: T[] }>;

/** A dollar-quoted literal whose tag does not occur in the text. */
export function dollarQuote(text: string): string {
  let tag = "$m$";
  for (let i = 0; text.includes(tag); i++) tag = `$m${i}$`;
  return `${tag}${text}${tag}`;
}

export function textStatements(db: Pick<Database, "mode">): TextStatement {
  if (db.mode === "postgres") return (q, text, params) => q.query(text, [...params]);
  return (q, text, params) =>
    q.query(
      text.replace(/\$(\d+)\b/g, (match, n: string) => {
        const value = params[Number(n) - 1];
        if (value === undefined) throw new Error(`statement uses ${match} but has ${params.length} value(s)`);
        return dollarQuote(value);
      }),
    );
}
