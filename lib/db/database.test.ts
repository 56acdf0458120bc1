import { mkdtemp, rm, cp, mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "./index";
import { applyMigrations, getAppliedVersions, listMigrations } from "./migrations";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "auditloop-db-"));
  await cp(path.resolve("supabase"), path.join(root, "supabase"), { recursive: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("embedded database", () => {
  it("applies every migration on first open and none on the next", async () => {
    const settings = { DATABASE_URL: undefined, AUDIT_DATA_DIR: ".data" };
    const first = await openDatabase(settings, root);
    const available = await listMigrations(path.join(root, "supabase", "migrations"));
    expect(await getAppliedVersions(first)).toEqual(available.map((m) => m.version));
    await first.query(
      `insert into runs (event, run_id, trigger_mode, status, sha_parity, retries, run_started_at_utc,
       run_completed_at_utc, duration_sec) values ('e', 'r1', 'scheduled', 'success', true, 0, now(), now(), 1)`,
    );
    await first.close();

    // Reopened from the same folder: data kept, nothing re-applied.
    const second = await openDatabase(settings, root);
    const again = await applyMigrations(second, path.join(root, "supabase", "migrations"));
    expect(again.applied).toEqual([]);
    const { rows } = await second.query<{ run_id: string }>("select run_id from runs");
    expect(rows.map((r) => r.run_id)).toEqual(["r1"]);
    await second.close();
  });

  it("rolls back a failing migration and names its file", async () => {
    const dir = path.join(root, "bad", "supabase", "migrations");
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, "20990101000000_broken.sql"),
      "create table ok_t (x int); select nope from nowhere;",
    );
    const db = await openDatabase(
      { DATABASE_URL: undefined, AUDIT_DATA_DIR: "memory://" },
      path.join(root, "bad"),
    ).then(
      () => null,
      (error: Error) => error,
    );
    expect(db?.message).toMatch(/20990101000000_broken\.sql/);
  });

  it("delivers NOTIFY payloads to a listener", async () => {
    const db = await openDatabase({ DATABASE_URL: undefined, AUDIT_DATA_DIR: "memory://" }, root);
    const received: string[] = [];
    const unlisten = await db.listen("auditloop_test", (p) => received.push(p));
    await db.query("select pg_notify('auditloop_test', 'hello')");
    await expect.poll(() => received).toEqual(["hello"]);
    await unlisten();
    await db.close();
  });
});
