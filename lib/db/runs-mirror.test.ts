import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/support/test-database";
import { startPostgres, type PostgresServer } from "../../test/support/postgres-server";
import { makeRunRecord } from "../../test/support/run-record";
import { runRecordSchema, type RunRecord } from "../evidence/run-record";
import { openEmbedded } from "./embedded";
import { openDatabase, type Database } from "./index";
import { applyMigrations } from "./migrations";
import { isMirroredDigest, mirrorRuns } from "./runs-mirror";
import { acquireMirrorLease, releaseMirrorLease } from "./runs-mirror-lease";
import { textStatements } from "./text-statements";

const run = (id: string, extra: Record<string, unknown> = {}): RunRecord =>
  runRecordSchema.parse(makeRunRecord(id, extra));

/** The event's rows as run records (timestamps as UTC seconds), ordered by run_id. */
async function rowsOf(db: Database, event: string) {
  const { rows } = await db.query<Record<string, unknown>>(
    `select run_id, trigger_mode, status, sha_parity, retries, retry_origin,
       to_char(run_started_at_utc at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as run_started_at_utc,
       to_char(run_completed_at_utc at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as run_completed_at_utc,
       duration_sec, prov_sha, computed_sha, observer_run_id, observer_notes, window_days, retry_exhausted,
       supabase_response_code, head_sha, workflow_name, branch, source
     from runs where event = $1 order by run_id`,
    [event],
  );
  // Absent optional fields are NULL in the table: drop them to compare with the records.
  return rows.map((r): Record<string, unknown> => ({
    ...Object.fromEntries(Object.entries(r).filter(([key, v]) => v !== null || key === "retry_origin")),
    retries: Number(r.retries),
    duration_sec: Number(r.duration_sec),
  }));
}

const sorted = (runs: RunRecord[]) =>
  [...runs].sort((a, b) => (a.run_id < b.run_id ? -1 : 1)).map((r) => ({ ...r }));

const A = [
  run("1"),
  run("2", { status: "failure", retries: 1, retry_exhausted: true, supabase_response_code: 503 }),
  run("3", { sha_parity: false, observer_notes: "digest differs", workflow_name: "audit", branch: "main" }),
];

/** The same behaviour on every kind of database the app runs on. */
function mirrorSuite(open: () => Promise<Database>) {
  let db: Database;
  beforeAll(async () => {
    db = await open();
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it("makes the event's rows equal to the runs: adds, replaces changed, deletes gone, leaves other events", async () => {
    await mirrorRuns(db, "other", [run("1", { observer_notes: "another event" })]);
    const first = await mirrorRuns(db, "ev", A, { digest: "d1" });
    expect(first).toMatchObject({ mode: "full", written: 3, deleted: 0, total: 3 });
    expect(await rowsOf(db, "ev")).toEqual(sorted(A));

    const B = [
      A[0]!,
      run("3", { sha_parity: true, retries: 2 }),
      run("4", { source: "manual", window_days: 7 }),
    ];
    const second = await mirrorRuns(db, "ev", B, { digest: "d2" });
    expect(second).toMatchObject({ mode: "diff", written: 2, deleted: 1, total: 3 });
    expect(await rowsOf(db, "ev")).toEqual(sorted(B));
    expect(await rowsOf(db, "other")).toEqual([{ ...run("1", { observer_notes: "another event" }) }]);
  });

  it("writes nothing when the digest is the one last mirrored, and only changed runs otherwise", async () => {
    const runs = Array.from({ length: 40 }, (_, i) => run(`r${i}`, { retries: i % 4 }));
    await mirrorRuns(db, "quiet", runs, { digest: "q1", chunkSize: 7 });
    const stamp = async () =>
      (
        await db.query<{ run_id: string; at: string }>(
          "select run_id, updated_at::text as at from runs where event = 'quiet' order by run_id",
        )
      ).rows;
    const before = await stamp();
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(await mirrorRuns(db, "quiet", runs, { digest: "q1" })).toMatchObject({
      mode: "unchanged",
      written: 0,
    });
    // Another digest, same content: every fingerprint matches, nothing is written.
    expect(await mirrorRuns(db, "quiet", runs, { digest: "q2", chunkSize: 7 })).toMatchObject({
      mode: "diff",
      written: 0,
      deleted: 0,
    });
    expect(await stamp()).toEqual(before);

    const changed = runs.map((r) => (r.run_id === "r17" ? { ...r, status: "failure" as const } : r));
    expect(await mirrorRuns(db, "quiet", changed, { chunkSize: 7 })).toMatchObject({
      mode: "diff",
      written: 1,
    });
    const after = await stamp();
    expect(after.filter((row, i) => row.at !== before[i]?.at).map((row) => row.run_id)).toEqual(["r17"]);
  });

  it("carries any text: quotes, dollar quotes, backslashes, newlines, delimiter characters, emoji", async () => {
    const nasty = [
      run("q1", { observer_notes: "it's $m$ a $1 \\ back\\slash 'quoted' $$ E'\\n'" }),
      run("q2", { observer_notes: "line one\nline two\ttab\r\n" }),
      run("q3", { observer_notes: "unit \u001f record \u001e sub \u001a end", branch: "\u001a" }),
      run("q4", { observer_notes: "emoji 🎉 and ünïcödé", workflow_name: "" }),
    ];
    await mirrorRuns(db, "nasty", nasty, { chunkSize: 2 });
    expect(await rowsOf(db, "nasty")).toEqual(sorted(nasty));
  });

  it("replaces rows of an event that has no bookkeeping wholesale", async () => {
    await db.query(
      `insert into runs (event, run_id, trigger_mode, status, sha_parity, retries, run_started_at_utc,
         run_completed_at_utc, duration_sec) values ('stray', 'left-over', 'scheduled', 'success', true, 0, now(), now(), 1)`,
    );
    const result = await mirrorRuns(db, "stray", [run("x")]);
    expect(result).toMatchObject({ mode: "full", written: 1, deleted: 1 });
    expect((await rowsOf(db, "stray")).map((r) => r.run_id)).toEqual(["x"]);
  });

  it("leaves a mirror cut short to the next one, which starts over, and gives the lease back", async () => {
    await mirrorRuns(db, "cut", [run("a"), run("b")]);
    // The database refuses the second batch (duration_sec must be > 0): the first is committed.
    const bad = [run("a", { retries: 1 }), run("b", { retries: 1 }), { ...run("c"), duration_sec: 0 }];
    await expect(mirrorRuns(db, "cut", bad, { chunkSize: 2 })).rejects.toThrow(/duration_sec|check/);
    const state = await db.query<{ fingerprints: string | null; lease_token: string | null }>(
      "select fingerprints, lease_token from runs_mirror_state where event = 'cut'",
    );
    expect(state.rows).toEqual([{ fingerprints: null, lease_token: null }]);
    const good = [run("a"), run("c")];
    expect(await mirrorRuns(db, "cut", good, { digest: "g" })).toMatchObject({ mode: "full", written: 2 });
    expect(await rowsOf(db, "cut")).toEqual(sorted(good));
    expect(await isMirroredDigest(db, "cut", "g")).toBe(true);
  });

  it("waits for another mirror's lease, and takes one left by a process that died", async () => {
    const sql = textStatements(db);
    const held = await acquireMirrorLease(db, sql, "leased");
    await expect(acquireMirrorLease(db, sql, "leased", { timeoutMs: 300 })).rejects.toThrow(
      /another process has been mirroring it/,
    );
    await db.query(
      "update runs_mirror_state set lease_until = now() - interval '1 second' where event = 'leased'",
    );
    const taken = await acquireMirrorLease(db, sql, "leased", { timeoutMs: 300 });
    expect(taken.token).not.toBe(held.token);
    await releaseMirrorLease(db, sql, "leased", taken.token);
    expect(await mirrorRuns(db, "leased", [run("x")])).toMatchObject({ mode: "full", written: 1 });
  });

  it("empties the event when the file holds no runs", async () => {
    await mirrorRuns(db, "gone", [run("a"), run("b")]);
    expect(await mirrorRuns(db, "gone", [])).toMatchObject({ mode: "diff", written: 0, deleted: 2 });
    expect(await rowsOf(db, "gone")).toEqual([]);
  });
}

describe("mirrorRuns on the embedded database (in process)", () => {
  mirrorSuite(openTestDatabase);
});

describe("mirrorRuns on the embedded database over its socket (as the CLI reaches it)", () => {
  let root: string;
  afterAll(async () => {
    if (root) await fs.rm(root, { recursive: true, force: true });
  });
  mirrorSuite(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "runs-mirror-socket-"));
    const db = await openEmbedded(path.join(root, ".data"));
    await applyMigrations(db, path.resolve("supabase/migrations"));
    return db;
  });
});

describe("mirrorRuns on a PostgreSQL server (DATABASE_URL)", () => {
  let server: PostgresServer;
  let db: Database | undefined;
  afterAll(async () => {
    await server?.stop();
  });
  mirrorSuite(async () => {
    server = await startPostgres();
    // startPostgres waits for the port only; the server may still answer "starting up" (57P03).
    for (let attempt = 1; ; attempt++) {
      try {
        db = await openDatabase({ DATABASE_URL: server.url, AUDIT_DATA_DIR: ".data" });
        return db;
      } catch (error) {
        if (attempt >= 50 || !String((error as Error).message).includes("starting up")) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  });

  it("runs concurrent mirrors of one event one after the other: the table is one file's runs, whole", async () => {
    if (!db) throw new Error("no database");
    const one = Array.from({ length: 30 }, (_, i) => run(`c${i}`, { retries: 1 }));
    const two = Array.from({ length: 20 }, (_, i) => run(`c${i + 15}`, { retries: 2 }));
    const results = await Promise.all([
      mirrorRuns(db, "race", one, { digest: "one", chunkSize: 4 }),
      mirrorRuns(db, "race", two, { digest: "two", chunkSize: 4 }),
    ]);
    expect(results.map((r) => r.mode).sort()).toEqual(["diff", "full"]);
    const rows = await rowsOf(db, "race");
    const winner = (await isMirroredDigest(db, "race", "one")) ? one : two;
    expect(rows).toEqual(sorted(winner));
  });
});
