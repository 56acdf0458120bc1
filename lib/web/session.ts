import "server-only";
import path from "node:path";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { authenticate, findAccount } from "../control/accounts";
import type { Actor } from "../control/roles";
import { loadSessionSecret } from "../control/session-secret";
import { createSessionToken, SESSION_TTL_SECONDS, verifySessionToken } from "../control/session-token";
import { getRepoRoot } from "../config/paths";
import { getSettings } from "../config/settings";
import { getDatabase } from "../db";
import { ServiceRefusedError } from "../errors";
import { actorFromSupabaseClaims } from "./supabase/claims";
import { getSupabaseAuthConfig } from "./supabase/config";
import { createSupabaseServerClient } from "./supabase/server";

/** The embedded mode's session cookie: signed, http-only, SameSite=strict, expiring. */
export const SESSION_COOKIE = "auditloop_session";

function getSessionSecret(): Buffer {
  return loadSessionSecret(path.resolve(getRepoRoot(), getSettings().AUDIT_DATA_DIR));
}

/**
 * Who is calling, re-read on every request: in embedded mode from the account (a disabled
 * account or a changed role takes effect at once, whatever the cookie says), in Supabase mode
 * from the verified token's app_metadata. Memoised per request (React cache): the header, the
 * layout and the page ask once between them.
 */
export const getSessionActor = cache(async (): Promise<Actor | null> => {
  const supabase = getSupabaseAuthConfig(getSettings());
  if (supabase) {
    const { data, error } = await (await createSupabaseServerClient(supabase)).auth.getClaims();
    return error || !data ? null : actorFromSupabaseClaims(data.claims);
  }
  const payload = verifySessionToken((await cookies()).get(SESSION_COOKIE)?.value, getSessionSecret());
  if (!payload) return null;
  const account = await findAccount(await getDatabase(getSettings()), payload.sub);
  if (!account || account.disabled) return null;
  return { id: account.id, email: account.email, role: account.role, via: "web" };
});

export type SignInOutcome = { ok: true; actor: Actor } | { ok: false; reason: "credentials" | "no-role" };

/** Checks the credentials and, when right, starts the session (cookie set on the response). */
export async function signInWithPassword(email: string, password: string): Promise<SignInOutcome> {
  const supabase = getSupabaseAuthConfig(getSettings());
  if (!supabase) {
    const account = await authenticate(await getDatabase(getSettings()), email, password);
    if (!account) return { ok: false, reason: "credentials" };
    await startSession(account);
    return { ok: true, actor: { id: account.id, email: account.email, role: account.role, via: "web" } };
  }
  const client = await createSupabaseServerClient(supabase);
  const { data, error } = await client.auth.signInWithPassword({ email, password });
  if (error) {
    if (error.status === 400 || error.code === "invalid_credentials")
      return { ok: false, reason: "credentials" };
    throw new ServiceRefusedError(`Supabase Auth refused the sign-in (HTTP ${error.status ?? "?"})`, {
      cause: error,
    });
  }
  const actor = actorFromSupabaseClaims(data.user);
  if (!actor) {
    // Signed in but given no role: leave no session behind.
    await client.auth.signOut();
    return { ok: false, reason: "no-role" };
  }
  return { ok: true, actor };
}

/** Sets the embedded mode's signed cookie for an account. */
export async function startSession(account: {
  id: string;
  email: string;
  role: Actor["role"];
}): Promise<void> {
  if (account.role === "service") throw new Error("a service actor has no web session");
  const token = createSessionToken(
    { sub: account.id, email: account.email, role: account.role },
    getSessionSecret(),
  );
  const h = await headers();
  // Secure whenever the browser reached us over HTTPS (directly or through a proxy that says so);
  // over plain http://localhost a Secure cookie would never come back.
  const secure = h.get("x-forwarded-proto") === "https" || h.get("origin")?.startsWith("https:") === true;
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "strict",
    secure,
    path: "/",
    maxAge: SESSION_TTL_SECONDS,
  });
}

/** Ends the session: the cookie is cleared (embedded) or the Supabase session signed out. */
export async function endSession(): Promise<void> {
  const supabase = getSupabaseAuthConfig(getSettings());
  if (supabase) {
    await (await createSupabaseServerClient(supabase)).auth.signOut();
    return;
  }
  (await cookies()).delete(SESSION_COOKIE);
}
