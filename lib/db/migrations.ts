import { promises as fs } from "node:fs";
import path from "node:path";
import type { Database } from "./types";

/**
 * Applies supabase/migrations/*.sql in name order (the Supabase CLI layout), each once, each in
 * its own transaction, to PGlite and to a Postgres server alike.
 */
export interface Migration {
  version: string;
  name: string;
  file: string;
}

export async function listMigrations(dir: string): Promise<Migration[]> {
  const names = (await fs.readdir(dir)).filter((n) => /^\d+_[\w-]+\.sql$/.test(n)).sort();
  return names.map((n) => {
    const [version = "", ...rest] = n.replace(/\.sql$/, "").split("_");
    return { version, name: rest.join("_"), file: path.join(dir, n) };
  });
}

const LEDGER = `create table if not exists auditloop_schema_migrations (
  version text primary key,
  name text not null,
  applied_at timestamptz not null default now()
)`;

export async function getAppliedVersions(db: Database): Promise<string[]> {
  await db.exec(LEDGER);
  const { rows } = await db.query<{ version: string }>(
    "select version from auditloop_schema_migrations order by version",
  );
  return rows.map((r) => r.version);
}

export async function applyMigrations(
  db: Database,
  dir: string,
): Promise<{ applied: string[]; level: string | null }> {
  const available = await listMigrations(dir);
  // One look for the common case, every migration applied: no transaction per migration (each
  // CLI command opens the database, DESIGN §11). A missing one is checked again under the lock.
  const known = new Set(await getAppliedVersions(db));
  const applied: string[] = [];
  for (const migration of available) {
    if (known.has(migration.version)) continue;
    const sql = await fs.readFile(migration.file, "utf8");
    const didApply = await db.transaction(async (tx) => {
      // Two servers starting at once against one Postgres must not both apply a migration.
      if (db.mode === "postgres")
        await tx.query("select pg_advisory_xact_lock(hashtext('auditloop_migrations'))");
      const { rows } = await tx.query("select 1 from auditloop_schema_migrations where version = $1", [
        migration.version,
      ]);
      if (rows.length > 0) return false;
      try {
        await tx.exec(sql);
      } catch (error) {
        throw new Error(`Migration ${path.basename(migration.file)} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      await tx.query("insert into auditloop_schema_migrations (version, name) values ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (didApply) applied.push(migration.version);
  }
  const versions = applied.length === 0 ? [...known].sort() : await getAppliedVersions(db);
  return { applied, level: versions.at(-1) ?? null };
}
