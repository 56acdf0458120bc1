import { readFile } from "node:fs/promises";
import { inject } from "vitest";
import type { Database } from "../../lib/db";
import { openPglite } from "../../lib/db/pglite";

/** A throwaway embedded database with every migration applied, loaded from the run's template. */
export async function openTestDatabase(): Promise<Database> {
  const template = await readFile(inject("templateDatabase"));
  return openPglite("memory://", { loadDataDir: new Blob([template]) });
}
