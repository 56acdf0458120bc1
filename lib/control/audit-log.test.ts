import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../db";
import { appendAuditEntry, verifyAuditChain } from "./audit-log";

let db: Database;

beforeEach(async () => {
  db = await openDatabase({ DATABASE_URL: undefined, AUDIT_DATA_DIR: "memory://" });
  for (let i = 1; i <= 5; i++) {
    await appendAuditEntry(db, {
      actor: "op@example.test",
      role: "operator",
      action: "manifest.update",
      target: `run-${i}`,
      detail: { i, note: "é ü" },
    });
  }
});

afterEach(async () => {
  await db.close();
});

describe("audit log chain", () => {
  it("verifies an untouched chain", async () => {
    expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 5, firstBadId: null, reason: null });
  });

  it("verifies in id order past row 9 (ids compare as numbers, not text)", async () => {
    for (let i = 6; i <= 12; i++)
      await appendAuditEntry(db, { actor: "a", role: "operator", action: "x", target: `run-${i}` });
    expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 12, firstBadId: null, reason: null });
  });

  it("refuses UPDATE and DELETE even from the owner", async () => {
    await expect(db.query("update audit_log set action = 'x' where id = 2")).rejects.toThrow(/append-only/);
    await expect(db.query("delete from audit_log where id = 2")).rejects.toThrow(/append-only/);
  });

  it("points at a row changed behind the application's back", async () => {
    await db.exec("alter table audit_log disable trigger audit_log_append_only");
    await db.query("update audit_log set detail = '{\"i\": 99}' where id = 3");
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, firstBadId: 3 });
  });

  it("points at the row after one deleted behind the application's back", async () => {
    await db.exec("alter table audit_log disable trigger audit_log_append_only");
    await db.query("delete from audit_log where id = 2");
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, firstBadId: 3 });
  });

  it("detects a row whose hash was recomputed but whose successor still links to the old one", async () => {
    await db.exec("alter table audit_log disable trigger audit_log_append_only");
    await db.query(
      `update audit_log set action = 'forged', hash = audit_log_hash(prev_hash, id, at_utc, actor, role, 'forged', target, detail) where id = 4`,
    );
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, firstBadId: 5 });
  });
});
