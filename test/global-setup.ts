import { spawnSync } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../lib/db/migrations";
import { openPglite } from "../lib/db/pglite";

/**
 * Once per test run: the CLI bundle, built into a private checkout-shaped folder (tests never race
 * a rebuild of dist/cli), and a migrated embedded database, dumped, so each test file loads a
 * ready database in about a second instead of running initdb and every migration again.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cliRoot = mkdtempSync(path.join(os.tmpdir(), "auditloop-cli-"));
  for (const name of ["lib", "scripts", "node_modules", "supabase", "package.json"]) {
    symlinkSync(path.resolve(name), path.join(cliRoot, name));
  }
  const build = spawnSync(process.execPath, ["scripts/build/cli.mjs"], { cwd: cliRoot, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`CLI bundle failed to build: ${build.stderr}`);
  project.provide("cliRoot", cliRoot);

  const db = await openPglite("memory://");
  await applyMigrations(db, path.resolve("supabase/migrations"));
  const file = path.join(os.tmpdir(), `auditloop-test-db-${process.pid}.tar`);
  await writeFile(file, Buffer.from(await (await db.dump()).arrayBuffer()));
  await db.close();
  project.provide("templateDatabase", file);
  return async () => {
    await rm(file, { force: true });
    await rm(cliRoot, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
    /** A folder shaped like the repository whose dist/cli holds this run's CLI bundle. */
    cliRoot: string;
  }
}
