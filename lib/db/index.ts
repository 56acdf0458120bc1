import { existsSync } from "node:fs";
import path from "node:path";
import { getRepoRoot } from "../config/paths";
import type { Settings } from "../config/settings";
import { applyMigrations } from "./migrations";
import type { OpenHooks } from "./embedded";
import type { Database } from "./types";

export type { Database, DatabaseMode, Queryable } from "./types";

/**
 * supabase/migrations ships with the code, which is not always where the data root is: the
 * dashboard runs from the repository, the bundled CLI from dist/cli/ inside it.
 */
export function getMigrationsDir(root = getRepoRoot()): string {
  const beside = path.join(root, "supabase", "migrations");
  const entry = process.argv[1];
  const fromBundle = entry ? path.resolve(path.dirname(entry), "..", "..", "supabase", "migrations") : beside;
  return existsSync(beside) || !existsSync(fromBundle) ? beside : fromBundle;
}

/** Opens the configured database (DATABASE_URL, else embedded PGlite) and migrates it. */
export async function openDatabase(
  settings: Pick<Settings, "DATABASE_URL" | "AUDIT_DATA_DIR">,
  root = getRepoRoot(),
  hooks: OpenHooks = {},
): Promise<Database> {
  const db = settings.DATABASE_URL
    ? await (await import("./postgres")).openPostgres(settings.DATABASE_URL)
    : settings.AUDIT_DATA_DIR.startsWith("memory://")
      ? await (await import("./pglite")).openPglite(settings.AUDIT_DATA_DIR) // throwaway, one process (tests)
      : await (
          await import("./embedded")
        ).openEmbeddedResilient(path.resolve(root, settings.AUDIT_DATA_DIR), hooks);
  try {
    await applyMigrations(db, getMigrationsDir(root));
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}

// One database per process, kept on globalThis so Next's separate module graphs share it.
const holder = globalThis as typeof globalThis & { __auditloopDb?: Promise<Database> };

export function getDatabase(settings: Pick<Settings, "DATABASE_URL" | "AUDIT_DATA_DIR">): Promise<Database> {
  holder.__auditloopDb ??= openDatabase(settings).catch((error: unknown) => {
    holder.__auditloopDb = undefined;
    throw error;
  });
  return holder.__auditloopDb;
}
