import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../../test/support/test-database";
import { appendAuditEntry } from "../../control/audit-log";
import type { Database } from "../../db";
import { exitCodeOf } from "../../errors";
import type { CommandContext } from "../command";
import { auditVerifyCommand } from "./audit-verify";

let db: Database;

beforeEach(async () => {
  db = await openTestDatabase();
  for (let i = 1; i <= 4; i++)
    await appendAuditEntry(db, {
      actor: "op@example.test",
      role: "operator",
      action: "manifest.update",
      target: `run-${i}`,
    });
});
afterEach(async () => {
  await db.close();
});

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = {
    argv,
    env: {},
    stdout: { write: (chunk: string) => out.push(chunk) },
    stderr: { write: (chunk: string) => err.push(chunk) },
    signal: new AbortController().signal,
    database: async () => db,
  };
  const code = await auditVerifyCommand.run(ctx).catch((error: unknown) => {
    err.push(String(error));
    return exitCodeOf(error);
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

describe("audit-verify command", () => {
  it("exits 0 and counts the rows of an intact chain", async () => {
    expect(await run([])).toEqual({ code: 0, stdout: "audit_log=intact rows=4\n", stderr: "" });
    expect(JSON.parse((await run(["--json"])).stdout)).toEqual({
      ok: true,
      rows: 4,
      first_bad_id: null,
      reason: null,
    });
  });

  it("exits 1 naming the first row changed behind the application's back, and why", async () => {
    // As the database owner, past the append-only trigger.
    await db.exec("alter table audit_log disable trigger audit_log_append_only");
    await db.query("update audit_log set actor = 'someone-else' where id = 3");
    const { code, stdout, stderr } = await run([]);
    expect(code).toBe(1);
    expect(stdout).toBe(
      'audit_log=broken rows=4 first_bad_id=3 reason="content does not match its hash (row changed)"\n',
    );
    expect(stderr).toMatch(/changed behind the application's back at row 3/);
    expect(JSON.parse((await run(["--json"])).stdout)).toMatchObject({ ok: false, first_bad_id: 3 });
  });

  it("refuses an unexpected argument", async () => {
    expect((await run(["now"])).code).toBe(1);
  });
});
