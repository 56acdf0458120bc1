import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/support/test-database";
import type { Database } from "../db";
import { CHANGE_CHANNEL, getLatestChangeId, parseChangePayload, readChanges } from "./change-feed";
import { LIVE_TABLES } from "./tables";

let db: Database;

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

async function changesDuring(write: () => Promise<unknown>) {
  const before = await getLatestChangeId(db);
  await write();
  return readChanges(db, before);
}

const run = (id: string) =>
  db.query(
    `insert into runs (event, run_id, trigger_mode, status, sha_parity, retries, run_started_at_utc,
       run_completed_at_utc, duration_sec) values ('ev', $1, 'scheduled', 'success', true, 0, now(), now(), 1)
     on conflict (event, run_id) do update set status = excluded.status`,
    [id],
  );

describe("change feed trigger", () => {
  it("writes one row per changed row with the table, the operation and the row's key", async () => {
    expect(await changesDuring(() => run("r-1"))).toEqual([
      expect.objectContaining({ table: "runs", op: "INSERT", key: "r-1", rows: 1 }),
    ]);
    expect(
      await changesDuring(() =>
        db.query("update kill_switch set state = 'engaged', changed_by = 't' where id"),
      ),
    ).toEqual([expect.objectContaining({ table: "kill_switch", op: "UPDATE", key: "engaged" })]);
    expect(
      await changesDuring(() =>
        db.query(
          "insert into checklist_state (event, step, checked, source, changed_by) values ('ev', 3, true, 'manual', 't')",
        ),
      ),
    ).toEqual([expect.objectContaining({ table: "checklist_state", op: "INSERT", key: "3" })]);
    expect(await changesDuring(() => db.query("delete from runs where run_id = 'r-1'"))).toEqual([
      expect.objectContaining({ table: "runs", op: "DELETE", key: "r-1" }),
    ]);
  });

  it("records every table the dashboards show", async () => {
    const { rows } = await db.query<{ table: string }>(
      `select distinct event_object_table as table from information_schema.triggers
        where trigger_name like '%_feed_%'`,
    );
    expect(rows.map((r) => r.table).sort()).toEqual([...LIVE_TABLES].sort());
  });

  it("keeps a bulk write to one row and one notification, and skips a write that changed nothing", async () => {
    const payloads: string[] = [];
    const unlisten = await db.listen(CHANGE_CHANNEL, (p) => payloads.push(p));
    const bulk = await changesDuring(() =>
      db.query(
        `insert into runs (event, run_id, trigger_mode, status, sha_parity, retries, run_started_at_utc,
           run_completed_at_utc, duration_sec)
         select 'bulk', 'b-' || i, 'scheduled', 'success', true, 0, now(), now(), 1 from generate_series(1, 500) i`,
      ),
    );
    expect(bulk).toEqual([expect.objectContaining({ table: "runs", op: "INSERT", key: null, rows: 500 })]);
    expect(await changesDuring(() => db.query("update runs set retries = 1 where false"))).toEqual([]);
    await expect.poll(() => payloads.length).toBe(1);
    expect(parseChangePayload(payloads[0] ?? "")).toEqual({ ...bulk[0], key: null });
    await unlisten();
  });

  it("records an upsert that updated as an UPDATE", async () => {
    await run("r-2");
    expect(await changesDuring(() => run("r-2"))).toEqual([
      expect.objectContaining({ table: "runs", op: "UPDATE", key: "r-2" }),
    ]);
  });

  it("is not readable by client roles", async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.exec("set local role authenticated");
        return tx.query("select * from change_feed");
      }),
    ).rejects.toThrow(/permission denied/);
  });

  it("ignores a payload that is not a change", () => {
    expect(parseChangePayload("hello")).toBeNull();
    expect(
      parseChangePayload(JSON.stringify({ id: 1, table: "runs", op: "TRUNCATE", key: null, rows: 0 })),
    ).toBeNull();
  });
});
