import { z } from "zod";
import type { Queryable } from "../db";
import { InputError } from "../errors";
import { generatePassword, hashPassword, verifyPassword } from "./password";
import type { Role } from "./roles";

/** Local accounts of the embedded mode (DESIGN §9): scrypt hashes in app_users. */
export interface Account {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
  disabled: boolean;
}

interface AccountRow {
  id: string;
  email: string;
  role: Role;
  created_at: Date | string;
  disabled_at: Date | string | null;
  password_hash: string;
}

const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  email: row.email,
  role: row.role,
  createdAt: new Date(row.created_at).toISOString(),
  disabled: row.disabled_at !== null,
});

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const MIN_PASSWORD_LENGTH = 12;
const emailSchema = z.email();

/** Refuses what would make a useless account, naming the field (the CLI maps it to its flag). */
function validateAccountInput(email: string, password: string): void {
  if (!emailSchema.safeParse(email).success) {
    throw new InputError(`email: expected an e-mail address (got '${email}')`);
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new InputError(`password: expected at least ${MIN_PASSWORD_LENGTH} characters`);
  }
}

// A well-formed hash nobody's password matches: an unknown e-mail costs the same scrypt work.
const DUMMY_HASH = `scrypt$32768$8$1$${"A".repeat(22)}$${"A".repeat(43)}`;

export async function listAccounts(db: Queryable): Promise<Account[]> {
  const { rows } = await db.query<AccountRow>("select * from app_users order by created_at, email");
  return rows.map(toAccount);
}

export async function findAccount(db: Queryable, id: string): Promise<Account | null> {
  const { rows } = await db.query<AccountRow>("select * from app_users where id = $1", [id]);
  return rows[0] ? toAccount(rows[0]) : null;
}

/** Creates an account; returns it with its password (given, or generated and shown once). */
export async function createAccount(
  db: Queryable,
  input: { email: string; role: Role; password?: string },
): Promise<{ account: Account; password: string }> {
  const email = normalizeEmail(input.email);
  const password = input.password ?? generatePassword();
  validateAccountInput(email, password);
  const { rows } = await db.query<AccountRow>(
    "insert into app_users (email, role, password_hash) values ($1, $2, $3) on conflict (email) do nothing returning *",
    [email, input.role, await hashPassword(password)],
  );
  const row = rows[0];
  if (!row) throw new InputError(`email: an account for ${email} already exists`);
  return { account: toAccount(row), password };
}

/** The account when the password is right and the account active; null otherwise (no hint which). */
export async function authenticate(db: Queryable, email: string, password: string): Promise<Account | null> {
  const { rows } = await db.query<AccountRow>("select * from app_users where email = $1", [
    normalizeEmail(email),
  ]);
  const row = rows[0];
  // Hash even for an unknown e-mail so timing does not tell which accounts exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  return row && ok && row.disabled_at === null ? toAccount(row) : null;
}

/**
 * On the first start with no accounts, one commander account with a one-time password; the
 * caller prints it once. Returns null when accounts exist.
 */
export async function ensureFirstCommander(
  db: Queryable,
): Promise<{ email: string; password: string } | null> {
  const { rows } = await db.query<{ n: number }>("select count(*)::int as n from app_users");
  if ((rows[0]?.n ?? 0) > 0) return null;
  try {
    const { account, password } = await createAccount(db, {
      email: "commander@auditloop.local",
      role: "commander",
    });
    return { email: account.email, password };
  } catch (error) {
    if (error instanceof InputError) return null; // another process created it first
    throw error;
  }
}
