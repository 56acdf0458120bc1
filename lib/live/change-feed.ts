import { z } from "zod";
import type { Queryable } from "../db";

/**
 * Reading the change feed the database keeps (supabase/migrations/20251114000300_change_feed.sql):
 * one row and one NOTIFY on CHANGE_CHANNEL per statement that changed a live table.
 */
export const CHANGE_CHANNEL = "auditloop_changes";

export interface ChangeEvent {
  id: number;
  table: string;
  op: "INSERT" | "UPDATE" | "DELETE";
  /** The changed row's key when one row changed, else null. */
  key: string | null;
  rows: number;
}

const changeSchema = z.object({
  id: z.coerce.number().int().positive(),
  table: z.string().min(1),
  op: z.enum(["INSERT", "UPDATE", "DELETE"]),
  key: z.string().nullable(),
  rows: z.coerce.number().int().nonnegative(),
});

/** A NOTIFY payload as a change; null for anything else (another writer on the channel). */
export function parseChangePayload(payload: string): ChangeEvent | null {
  try {
    const parsed = changeSchema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function getLatestChangeId(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ id: string | number | null }>("select max(id) as id from change_feed");
  return Number(rows[0]?.id ?? 0);
}

/**
 * Changes after `afterId`, plus recent ones down to `floorId`: ids are handed out before commit,
 * so a slow transaction can commit a lower id after a higher one was read. The caller drops
 * the ones it has already delivered.
 */
export async function readChanges(
  db: Queryable,
  afterId: number,
  floorId = afterId,
  limit = 500,
): Promise<ChangeEvent[]> {
  const { rows } = await db.query<{
    id: string | number;
    table_name: string;
    op: string;
    key: string | null;
    row_count: number;
  }>(
    `select id, table_name, op, key, row_count from change_feed
      where id > $2 and (id > $1 or at > clock_timestamp() - interval '5 seconds')
      order by id limit $3`,
    [afterId, floorId, limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    table: row.table_name,
    op: row.op as ChangeEvent["op"],
    key: row.key,
    rows: Number(row.row_count),
  }));
}
