import "server-only";
import path from "node:path";
import { cookies, headers } from "next/headers";
import { findAccount } from "../control/accounts";
import type { Actor } from "../control/roles";
import { loadSessionSecret } from "../control/session-secret";
import { createSessionToken, SESSION_TTL_SECONDS, verifySessionToken } from "../control/session-token";
import { getRepoRoot } from "../config/paths";
import { getSettings } from "../config/settings";
import { getDatabase } from "../db";

/** The embedded mode's session cookie: signed, http-only, SameSite=strict, expiring. */
export const SESSION_COOKIE = "auditloop_session";

function secret(): Buffer {
  return loadSessionSecret(path.resolve(getRepoRoot(), getSettings().AUDIT_DATA_DIR));
}

/**
 * Who is calling, re-read from the account on every request: a disabled account or a changed
 * role takes effect at once, whatever the cookie says.
 */
export async function getSessionActor(): Promise<Actor | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const payload = verifySessionToken(token, secret());
  if (!payload) return null;
  const account = await findAccount(await getDatabase(getSettings()), payload.sub);
  if (!account || account.disabled) return null;
  return { id: account.id, email: account.email, role: account.role, via: "web" };
}

export async function startSession(account: { id: string; email: string; role: Actor["role"] }): Promise<void> {
  if (account.role === "service") throw new Error("a service actor has no web session");
  const token = createSessionToken({ sub: account.id, email: account.email, role: account.role }, secret());
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "strict",
    // Secure whenever the browser reached us over HTTPS (directly or through a proxy).
    secure: (await headers()).get("x-forwarded-proto") === "https" || (await headers()).get("origin")?.startsWith("https:") === true,
    path: "/",
    maxAge: SESSION_TTL_SECONDS,
  });
}

export async function endSession(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
}
