import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../lib/db";
import { createChangeBroker } from "../lib/live/change-broker";
import type { ChangeEvent } from "../lib/live/change-feed";
import { startPostgres, type PostgresServer } from "./support/postgres-server";

// Live updates on a PostgreSQL server (DATABASE_URL): pushed by LISTEN/NOTIFY, not polled.
let server: PostgresServer;
let db: Database;

beforeAll(async () => {
  server = await startPostgres();
  db = await openDatabase({ DATABASE_URL: server.url, AUDIT_DATA_DIR: ".data" });
}, 60_000);

afterAll(async () => {
  await db?.close();
  await server?.stop();
});

function waitFor(events: ChangeEvent[], table: string): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (events.some((e) => e.table === table)) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
}

describe("change broker on a PostgreSQL server", () => {
  it("delivers a committed change through LISTEN within a second", async () => {
    // The safety poll is pushed out of the way: only the NOTIFY can deliver in time.
    const broker = createChangeBroker(db, { safetyPollMs: 60_000 });
    const events: ChangeEvent[] = [];
    await broker.subscribe((e) => events.push(e));
    expect(broker.transport()).toBe("listen");
    const started = performance.now();
    await db.transaction(async (tx) => {
      await tx.query(
        "update kill_switch set state = 'engaged', changed_by = 'pg-test', reason = 'r' where id",
      );
      await tx.query(
        "insert into kill_switch_events (action, actor, reason) values ('engage', 'pg-test', 'r')",
      );
    });
    await waitFor(events, "kill_switch_events");
    const latency = performance.now() - started;
    console.log(`change broker (PostgreSQL, LISTEN/NOTIFY): delivered in ${latency.toFixed(1)} ms`);
    expect(latency).toBeLessThan(1000);
    expect(events.map((e) => [e.table, e.op])).toEqual([
      ["kill_switch", "UPDATE"],
      ["kill_switch_events", "INSERT"],
    ]);
    await broker.close();
  });

  it("delivers nothing from a transaction that rolled back", async () => {
    const broker = createChangeBroker(db, { safetyPollMs: 50 });
    const events: ChangeEvent[] = [];
    await broker.subscribe((e) => events.push(e));
    await db
      .transaction(async (tx) => {
        await tx.query("insert into audit_log (actor, role, action) values ('t', 'operator', 'rolled-back')");
        throw new Error("abandon");
      })
      .catch(() => undefined);
    await db.query("insert into audit_log (actor, role, action) values ('t', 'operator', 'kept')");
    await waitFor(events, "audit_log");
    await new Promise((r) => setTimeout(r, 150));
    expect(events.filter((e) => e.table === "audit_log")).toHaveLength(1);
    await broker.close();
  });

  it("falls back to polling when LISTEN fails", async () => {
    const errors: unknown[] = [];
    const refusing: Database = {
      ...db,
      listen: async () => {
        throw new Error("LISTEN not available");
      },
    };
    const broker = createChangeBroker(refusing, { pollMs: 50, onError: (e) => errors.push(e) });
    const events: ChangeEvent[] = [];
    await broker.subscribe((e) => events.push(e));
    expect(broker.transport()).toBe("poll");
    expect(errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/LISTEN failed/) })]);
    await db.query("insert into audit_log (actor, role, action) values ('t', 'operator', 'polled')");
    await waitFor(events, "audit_log");
    await broker.close();
  });
});
