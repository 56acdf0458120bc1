import { createHash } from "node:crypto";
import type { Database, Queryable } from "../db";

/**
 * The append-only audit log (DESIGN §9). The database assigns id, time and the hash chain in a
 * trigger; this module appends and proves the chain intact, recomputing each hash here so a
 * tampered database function cannot vouch for itself.
 */
export interface AuditEntryInput {
  actor: string;
  role: string;
  action: string;
  target?: string;
  detail?: Record<string, unknown>;
}

export async function appendAuditEntry(
  tx: Queryable,
  entry: AuditEntryInput,
): Promise<{ id: number; hash: string }> {
  const { rows } = await tx.query<{ id: string; hash: string }>(
    "insert into audit_log (actor, role, action, target, detail) values ($1, $2, $3, $4, $5::jsonb) returning id, hash",
    [entry.actor, entry.role, entry.action, entry.target ?? "", JSON.stringify(entry.detail ?? {})],
  );
  const row = rows[0];
  if (!row) throw new Error("audit_log insert returned no row");
  return { id: Number(row.id), hash: row.hash };
}

interface AuditRow {
  id: string;
  at_utc: string;
  actor: string;
  role: string;
  action: string;
  target: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface ChainReport {
  ok: boolean;
  rows: number;
  /** The first row whose content or link does not match, when the chain is broken. */
  firstBadId: number | null;
  reason: string | null;
}

const GENESIS = "0".repeat(64);

export function hashAuditRow(row: Omit<AuditRow, "hash">): string {
  const text = [
    row.prev_hash,
    row.id,
    row.at_utc,
    row.actor,
    row.role,
    row.action,
    row.target,
    row.detail,
  ].join("|");
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export async function verifyAuditChain(db: Database): Promise<ChainReport> {
  // detail::text is jsonb's canonical text, the same bytes the trigger hashed.
  const { rows } = await db.query<AuditRow>(
    "select id::text, at_utc, actor, role, action, target, detail::text as detail, prev_hash, hash from audit_log order by audit_log.id",
  );
  let previous = GENESIS;
  for (const row of rows) {
    if (row.prev_hash !== previous) {
      return {
        ok: false,
        rows: rows.length,
        firstBadId: Number(row.id),
        reason: "link to the previous row broken (a row removed or changed)",
      };
    }
    if (hashAuditRow(row) !== row.hash) {
      return {
        ok: false,
        rows: rows.length,
        firstBadId: Number(row.id),
        reason: "content does not match its hash (row changed)",
      };
    }
    previous = row.hash;
  }
  return { ok: true, rows: rows.length, firstBadId: null, reason: null };
}
