import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { makeRunRecord } from "../../test/support/run-record";
import { insertRunRows } from "../../test/support/runs-table";
import { openTestDatabase } from "../../test/support/test-database";
import type { Database, Queryable } from "../db";
import type { RunRecord } from "../evidence/run-record";
import { getLatestChangeId } from "../live/change-feed";
import { createRunsCache, type RunsCache } from "./kpi-runs-cache";

let db: Database;
let cache: RunsCache;
let event = "";
let count = 0;

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  cache = createRunsCache();
  event = `cache-${++count}`;
  await insertRunRows(db, event, [makeRunRecord("a"), makeRunRecord("b")]);
});

const ids = async (c = cache, on: Queryable = db) =>
  c.getRuns(on, event).then(({ runs, refresh }) => ({ ids: runs.map((r) => r.run_id).sort(), refresh }));

/**
 * The database with every statement counted, one kind made to fail on demand, and one kind's
 * answer held back (after it was read) until the test lets it go.
 */
function instrumented(
  fail: { when: RegExp | null },
  hold: { when: RegExp | null; until?: Promise<void> } = { when: null },
) {
  const seen: string[] = [];
  const wrapped: Queryable = {
    query: async (text, params) => {
      seen.push(text);
      if (fail.when?.test(text)) {
        fail.when = null;
        throw new Error("connection reset by the test");
      }
      const answer = await db.query(text, params);
      if (hold.when?.test(text)) {
        hold.when = null;
        await hold.until;
      }
      return answer as never;
    },
    exec: (text) => db.exec(text),
  };
  return { wrapped, seen };
}

describe("the in-process runs cache", () => {
  it("loads the event once, then answers from memory while nothing changes", async () => {
    expect(await ids()).toEqual({ ids: ["a", "b"], refresh: "full" });
    expect(await ids()).toEqual({ ids: ["a", "b"], refresh: "none" });
  });

  it("reloads only the run a one-row change names: insert, update and delete", async () => {
    await ids();
    await insertRunRows(db, event, [makeRunRecord("c")]);
    expect(await ids()).toEqual({ ids: ["a", "b", "c"], refresh: "partial" });

    await db.query("update runs set status = 'failure' where event = $1 and run_id = 'a'", [event]);
    const { runs, refresh } = await cache.getRuns(db, event);
    expect(refresh).toBe("partial");
    expect(runs.find((r) => r.run_id === "a")?.status).toBe("failure");

    await db.query("delete from runs where event = $1 and run_id = 'b'", [event]);
    expect(await ids()).toEqual({ ids: ["a", "c"], refresh: "partial" });
    expect(await ids()).toEqual({ ids: ["a", "c"], refresh: "none" });
  });

  it("re-reads only the runs whose row changed when one statement changed several", async () => {
    await insertRunRows(
      db,
      event,
      Array.from({ length: 20 }, (_, i) => makeRunRecord(`x${i}`)),
    );
    const { wrapped, seen } = instrumented({ when: null });
    await ids(cache, wrapped);
    await insertRunRows(db, event, [makeRunRecord("c"), makeRunRecord("d")]);
    await db.query("update runs set status = 'failure' where event = $1 and run_id in ('a', 'x3')", [event]);
    await db.query("delete from runs where event = $1 and run_id in ('x7', 'x8')", [event]);
    seen.length = 0;
    const { runs, refresh } = await cache.getRuns(wrapped, event);
    expect(refresh).toBe("diff");
    expect(runs).toHaveLength(22 - 2 + 2);
    expect(
      runs
        .filter((r) => r.status === "failure")
        .map((r) => r.run_id)
        .sort(),
    ).toEqual(["a", "x3"]);
    expect(runs.map((r) => r.run_id)).not.toContain("x7");
    // Only the changed runs were read whole, by id; the rest only by their row version.
    const whole = seen.filter((q) => q.includes("to_char"));
    expect(whole).toHaveLength(1);
    expect(whole[0]).toContain("run_id = any(");
  });

  it("keeps the list in step through many single changes: same runs as a fresh read", async () => {
    await insertRunRows(
      db,
      event,
      Array.from({ length: 30 }, (_, i) => makeRunRecord(`m${i}`)),
    );
    await ids();
    for (const [i, sql] of [
      "update runs set retries = 4 where event = $1 and run_id = 'm3'",
      "delete from runs where event = $1 and run_id = 'm5'",
      "update runs set status = 'cancelled' where event = $1 and run_id = 'm9'",
    ].entries()) {
      await db.query(sql, [event]);
      await insertRunRows(db, event, [makeRunRecord(`new${i}`)]);
      await cache.getRuns(db, event);
    }
    await db.query("update runs set retries = 7 where event = $1 and run_id = 'new0'", [event]);
    const { runs } = await cache.getRuns(db, event);
    const fresh = (await createRunsCache().getRuns(db, event)).runs;
    const byId = (list: readonly RunRecord[]) => [...list].sort((a, b) => a.run_id.localeCompare(b.run_id));
    expect(byId(runs)).toEqual(byId(fresh));
    expect(runs).toHaveLength(2 + 30 - 1 + 3);
    expect(new Set(runs.map((r) => r.run_id)).size).toBe(runs.length);
  });

  it("reads the whole event again when a quarter of its runs changed", async () => {
    await ids();
    await insertRunRows(db, event, [makeRunRecord("c"), makeRunRecord("d")]);
    expect(await ids()).toEqual({ ids: ["a", "b", "c", "d"], refresh: "full" });
  });

  it("stays put when other tables change", async () => {
    await ids();
    await db.query(
      "insert into checklist_state (event, step, checked, source, changed_by) values ($1, 4, true, 'manual', 'x')",
      [event],
    );
    expect(await ids()).toEqual({ ids: ["a", "b"], refresh: "none" });
  });

  it("applies a change that commits late with an id below the last one it saw", async () => {
    await ids();
    const last = await getLatestChangeId(db);
    // A slow transaction: its run was written (its feed id handed out) before the cache read the
    // feed, and it commits afterwards. Simulated by writing the row without its trigger and the
    // feed row by hand below the last id.
    await db.exec(`alter table change_feed alter column id restart with ${last + 10}`);
    await insertRunRows(db, "elsewhere", [makeRunRecord("pushes-the-feed-on")]);
    await ids();
    await db.transaction(async (tx) => {
      await tx.exec("set local session_replication_role = replica");
      await insertRunRows(tx, event, [makeRunRecord("late")]);
    });
    await db.query(
      `insert into change_feed (id, table_name, op, key, row_count) overriding system value
       values ($1, 'runs', 'INSERT', 'late', 1)`,
      [last + 5],
    );
    expect(await ids()).toEqual({ ids: ["a", "b", "late"], refresh: "partial" });
  });

  it("keeps its place when a reload fails, so the next read applies the change", async () => {
    const fail = { when: null as RegExp | null };
    const { wrapped } = instrumented(fail);
    await ids(cache, wrapped);
    await insertRunRows(db, event, [makeRunRecord("c")]);
    fail.when = /from runs where event/;
    await expect(cache.getRuns(wrapped, event)).rejects.toThrow("connection reset by the test");
    expect(await ids(cache, wrapped)).toEqual({ ids: ["a", "b", "c"], refresh: "partial" });
  });

  it("reads the table once for concurrent readers", async () => {
    const { wrapped, seen } = instrumented({ when: null });
    const reads = await Promise.all([1, 2, 3].map(() => cache.getRuns(wrapped, event)));
    expect(reads.map((r) => r.refresh)).toEqual(["full", "none", "none"]);
    expect(reads[2]?.runs).toBe(reads[0]?.runs);
    expect(seen.filter((q) => /from runs where event/.test(q))).toHaveLength(1);
  });

  it("answers a reader who arrives during a refresh with a refresh that starts after it", async () => {
    let release = () => undefined as void;
    const hold = {
      when: null as RegExp | null,
      until: new Promise<void>((r) => (release = r)),
    };
    const { wrapped } = instrumented({ when: null }, hold);
    await ids(cache, wrapped);
    hold.when = /from change_feed/;
    // The first reader's look at the feed is taken, then held: it will answer "nothing changed".
    const first = cache.getRuns(wrapped, event);
    await vi.waitFor(() => expect(hold.when).toBeNull());
    await insertRunRows(db, event, [makeRunRecord("c")]);
    const second = cache.getRuns(wrapped, event);
    release();
    expect((await first).runs.map((r) => r.run_id).sort()).toEqual(["a", "b"]);
    expect((await second).runs.map((r) => r.run_id).sort()).toEqual(["a", "b", "c"]);
  });
});
