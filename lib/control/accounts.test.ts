import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db";
import { ForbiddenError, InputError, KillSwitchEngagedError } from "../errors";
import { openTestDatabase } from "../../test/support/test-database";
import { addUserAction } from "./account-actions";
import { authenticate, createAccount, ensureFirstCommander, findAccount, listAccounts } from "./accounts";
import { runAction } from "./action";
import { verifyAuditChain } from "./audit-log";
import { setKillSwitchState } from "./kill-switch";
import type { Actor } from "./roles";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const service: Actor = { id: "cli:test", email: "cli:test", role: "service", via: "cli" };

describe("local accounts", () => {
  it("creates an account with a normalised e-mail and stores only a scrypt hash", async () => {
    const { account, password } = await createAccount(db, {
      email: "  Ada@Example.TEST ",
      role: "reviewer",
      password: "correct horse battery",
    });
    expect(account).toMatchObject({ email: "ada@example.test", role: "reviewer", disabled: false });
    expect(password).toBe("correct horse battery");
    const { rows } = await db.query<{ password_hash: string }>(
      "select password_hash from app_users where id = $1",
      [account.id],
    );
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(rows[0]?.password_hash).not.toContain("horse");
    expect(await findAccount(db, account.id)).toEqual(account);
  });

  it("generates a password of 20 characters when none is given", async () => {
    const { account, password } = await createAccount(db, { email: "gen@example.test", role: "observer" });
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(await authenticate(db, account.email, password)).toMatchObject({ id: account.id });
  });

  it("refuses a second account for the same e-mail, whatever its case", async () => {
    await createAccount(db, { email: "dup@example.test", role: "operator", password: "first-password-1" });
    await expect(
      createAccount(db, { email: "DUP@example.test", role: "commander", password: "second-password-2" }),
    ).rejects.toThrow(new InputError("email: an account for dup@example.test already exists"));
    expect((await listAccounts(db)).filter((a) => a.email === "dup@example.test")).toHaveLength(1);
  });

  it("refuses a malformed e-mail and a short password, naming the field", async () => {
    await expect(createAccount(db, { email: "not-an-address", role: "observer" })).rejects.toThrow(
      /^email: expected an e-mail address \(got 'not-an-address'\)$/,
    );
    await expect(
      createAccount(db, { email: "short@example.test", role: "observer", password: "elevenchars" }),
    ).rejects.toThrow(/^password: expected at least 12 characters$/);
  });

  it("authenticates the right password, and refuses a wrong one, an unknown e-mail and a disabled account", async () => {
    const { account } = await createAccount(db, {
      email: "op@example.test",
      role: "operator",
      password: "operator-password",
    });
    expect(await authenticate(db, "OP@example.test ", "operator-password")).toEqual(account);
    expect(await authenticate(db, "op@example.test", "operator-passwore")).toBeNull();
    expect(await authenticate(db, "nobody@example.test", "operator-password")).toBeNull();
    await db.query("update app_users set disabled_at = now() where id = $1", [account.id]);
    expect(await authenticate(db, "op@example.test", "operator-password")).toBeNull();
    expect(await findAccount(db, account.id)).toMatchObject({ disabled: true });
  });
});

describe("first commander", () => {
  it("is created once, on an empty table, and never again", async () => {
    const empty = await openTestDatabase();
    try {
      const first = await ensureFirstCommander(empty);
      expect(first).toMatchObject({ email: "commander@auditloop.local" });
      expect(await authenticate(empty, first?.email ?? "", first?.password ?? "")).toMatchObject({
        role: "commander",
      });
      expect(await ensureFirstCommander(empty)).toBeNull();
      expect(await listAccounts(empty)).toHaveLength(1);
    } finally {
      await empty.close();
    }
  });

  it("is not created when any account exists", async () => {
    expect((await listAccounts(db)).length).toBeGreaterThan(0);
    expect(await ensureFirstCommander(db)).toBeNull();
    expect((await listAccounts(db)).some((a) => a.email === "commander@auditloop.local")).toBe(false);
  });
});

describe("addUserAction", () => {
  it("adds the account and writes the audit log with the role but never the password", async () => {
    const result = await runAction(addUserAction, {
      actor: service,
      input: { email: "rev2@example.test", role: "reviewer", password: "a-long-enough-secret" },
      db,
    });
    expect(result.account).toMatchObject({ email: "rev2@example.test", role: "reviewer" });
    const { rows } = await db.query<{ actor: string; action: string; target: string; detail: unknown }>(
      "select actor, action, target, detail from audit_log where action = 'users.add' order by id desc limit 1",
    );
    expect(rows[0]).toEqual({
      actor: "cli:test",
      action: "users.add",
      target: "rev2@example.test",
      detail: { role: "reviewer", password: "given" },
    });
    expect(JSON.stringify(rows)).not.toContain("a-long-enough-secret");
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it("is refused to every role but the commander, with no account made", async () => {
    for (const role of ["observer", "operator", "reviewer"] as const) {
      await expect(
        runAction(addUserAction, {
          actor: { id: role, email: `${role}@example.test`, role, via: "web" },
          input: { email: `made-by-${role}@example.test`, role: "commander" },
          db,
        }),
      ).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect((await listAccounts(db)).filter((a) => a.email.startsWith("made-by-"))).toEqual([]);
  });

  it("is refused while the kill switch is engaged", async () => {
    const ic: Actor = { id: "ic", email: "ic@example.test", role: "commander", via: "web" };
    await setKillSwitchState(db, ic, "engaged", "accounts test");
    try {
      await expect(
        runAction(addUserAction, {
          actor: service,
          input: { email: "late@example.test", role: "observer" },
          db,
        }),
      ).rejects.toBeInstanceOf(KillSwitchEngagedError);
      expect((await listAccounts(db)).some((a) => a.email === "late@example.test")).toBe(false);
    } finally {
      await setKillSwitchState(db, ic, "released", "accounts test done");
    }
  });
});
