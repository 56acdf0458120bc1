import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/support/test-database";
import type { Database } from "../db";
import { createChangeBroker, type ChangeBroker } from "./change-broker";
import type { ChangeEvent } from "./change-feed";

let db: Database;

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const brokers: ChangeBroker[] = [];
const track = (broker: ChangeBroker) => (brokers.push(broker), broker);
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((b) => b.close()));
});

function collect() {
  const events: ChangeEvent[] = [];
  const next = (predicate: (e: ChangeEvent) => boolean) =>
    new Promise<ChangeEvent>((resolve) => {
      const timer = setInterval(() => {
        const found = events.find(predicate);
        if (found) {
          clearInterval(timer);
          resolve(found);
        }
      }, 5);
    });
  return { events, listener: (e: ChangeEvent) => events.push(e), next };
}

describe("change broker on the embedded database (polling)", () => {
  it("delivers a change to a subscriber within a second, and nothing from before it subscribed", async () => {
    await db.query("insert into audit_log (actor, role, action) values ('t', 'operator', 'before')");
    const broker = track(createChangeBroker(db, { pollMs: 200 }));
    const { events, listener, next } = collect();
    await broker.subscribe(listener);
    expect(broker.transport()).toBe("poll");
    const started = performance.now();
    await db.query("update kill_switch set state = 'engaged', changed_by = 'broker-test' where id");
    await next((e) => e.table === "kill_switch");
    const latency = performance.now() - started;
    console.log(`change broker (embedded, polling every 200 ms): delivered in ${latency.toFixed(0)} ms`);
    expect(latency).toBeLessThan(1000);
    expect(events.map((e) => e.table)).toEqual(["kill_switch"]);
    await broker.close();
  });

  it("delivers a lower id committed after a higher one was read, once", async () => {
    const broker = track(createChangeBroker(db, { pollMs: 20 }));
    const { events, listener, next } = collect();
    await broker.subscribe(listener);
    // A slow transaction takes its id first and commits last.
    const { rows } = await db.query<{ id: string }>(
      "select nextval(pg_get_serial_sequence('change_feed', 'id')) as id",
    );
    await db.query("insert into change_feed (table_name, op, key) values ('runs', 'INSERT', 'late-high')");
    await next((e) => e.key === "late-high");
    await db.query(
      "insert into change_feed (id, table_name, op, key) overriding system value values ($1, 'runs', 'INSERT', 'late-low')",
      [Number(rows[0]?.id)],
    );
    await next((e) => e.key === "late-low");
    await new Promise((r) => setTimeout(r, 100));
    expect(events.map((e) => e.key)).toEqual(["late-high", "late-low"]);
    await broker.close();
  });

  it("stops delivering to a listener that unsubscribed and goes idle when nobody listens", async () => {
    const broker = track(createChangeBroker(db, { pollMs: 20, idleMs: 50 }));
    const a = collect();
    const b = collect();
    const stopA = await broker.subscribe(a.listener);
    await broker.subscribe(b.listener);
    stopA();
    await db.query(
      "insert into audit_log (actor, role, action) values ('t', 'operator', 'after-unsubscribe')",
    );
    await b.next((e) => e.table === "audit_log");
    expect(a.events).toEqual([]);
    await broker.close();
    expect(broker.transport()).toBe("idle");

    const idle = track(createChangeBroker(db, { pollMs: 20, idleMs: 50 }));
    const stop = await idle.subscribe(() => undefined);
    stop();
    await expect.poll(() => idle.transport(), { timeout: 2000 }).toBe("idle");
  });

  it("keeps delivering to the others when one listener throws", async () => {
    const errors: unknown[] = [];
    const broker = track(createChangeBroker(db, { pollMs: 20, onError: (e) => errors.push(e) }));
    const ok = collect();
    await broker.subscribe(() => {
      throw new Error("listener bug");
    });
    await broker.subscribe(ok.listener);
    await db.query("insert into audit_log (actor, role, action) values ('t', 'operator', 'throwing')");
    await ok.next((e) => e.table === "audit_log");
    expect(errors).toEqual([expect.objectContaining({ message: "listener bug" })]);
    await broker.close();
  });
});
