import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { openDatabase } from "../lib/db";
import { getAppliedVersions, listMigrations } from "../lib/db/migrations";
import { startPostgres, type PostgresServer } from "./support/postgres-server";

// Same query layer, a real PostgreSQL server (DATABASE_URL). .ci/run installs the server package.
let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe("DATABASE_URL mode", () => {
  it("migrates a PostgreSQL server through the same layer, once", async () => {
    const settings = { DATABASE_URL: server.url, AUDIT_DATA_DIR: ".data" };
    const db = await openDatabase(settings);
    expect(db.mode).toBe("postgres");
    const available = await listMigrations(path.resolve("supabase/migrations"));
    expect(await getAppliedVersions(db)).toEqual(available.map((m) => m.version));
    await db.close();
    const again = await openDatabase(settings);
    expect(await getAppliedVersions(again)).toHaveLength(available.length);
    await again.close();
  });

  it("delivers NOTIFY to a LISTEN subscription", async () => {
    const db = await openDatabase({ DATABASE_URL: server.url, AUDIT_DATA_DIR: ".data" });
    const received: string[] = [];
    const unlisten = await db.listen("auditloop_test", (p) => received.push(p));
    await db.query("select pg_notify('auditloop_test', 'from-server')");
    await expect.poll(() => received).toEqual(["from-server"]);
    await unlisten();
    await db.close();
  });

  it("names DATABASE_URL when the server cannot be reached", async () => {
    const error = await openDatabase({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:1/x",
      AUDIT_DATA_DIR: ".data",
    }).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/^DATABASE_URL: could not connect/);
  });
});
