import { existsSync } from "node:fs";
import { getEventPaths } from "../config/paths";
import { getSettings, type Settings } from "../config/settings";
import { getDatabase, getMigrationsDir } from "./index";
import { getAppliedVersions, listMigrations } from "./migrations";

export interface Health {
  ok: boolean;
  mode: "embedded" | "postgres";
  migration: { level: string | null; applied: number; available: number };
  event: { name: string; dir: string; exists: boolean; runsSummary: boolean; manifest: boolean };
  error?: string;
}

/** What GET /api/health reports: data mode, migration level, event folder. */
export async function getHealth(settings: Settings = getSettings()): Promise<Health> {
  const paths = getEventPaths(settings);
  const event = {
    name: paths.event,
    dir: paths.dir,
    exists: existsSync(paths.dir),
    runsSummary: existsSync(paths.runsSummary),
    manifest: existsSync(paths.manifest),
  };
  const mode = settings.DATABASE_URL ? "postgres" : "embedded";
  const available = (await listMigrations(getMigrationsDir())).length;
  try {
    const db = await getDatabase(settings);
    const versions = await getAppliedVersions(db);
    return {
      ok: versions.length === available,
      mode,
      migration: { level: versions.at(-1) ?? null, applied: versions.length, available },
      event,
    };
  } catch (error) {
    return {
      ok: false,
      mode,
      migration: { level: null, applied: 0, available },
      event,
      error: (error as Error).message,
    };
  }
}
