"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { safeNextPath } from "../next-path";
import { getLoginRateLimiter } from "../../control/login-rate-limit";
import { assertSameOriginRequest } from "../action-client";
import { signInWithPassword } from "../session";

export interface SignInState {
  error: string | null;
  /** Given back so the form keeps what was typed (never the password). */
  email: string;
}

/**
 * The sign-in form's action (useActionState; works without JavaScript too). Same-origin only,
 * rate-limited per e-mail and per client address, one message that does not tell a wrong
 * password from an unknown e-mail; on success the session cookie is set and the browser goes on
 * to where it was headed.
 */
export async function signIn(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  const next = safeNextPath(form.get("next"));
  try {
    await assertSameOriginRequest();
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error), email };
  }
  if (email === "" || password === "") return { error: "Enter your e-mail and password.", email };

  const decision = getLoginRateLimiter().begin({ email, address: await clientAddress() });
  if (!decision.allowed) return { error: decision.message, email };
  let outcome;
  try {
    outcome = await signInWithPassword(email, password);
  } catch (error) {
    console.error(`sign-in failed: ${error instanceof Error ? error.message : String(error)}`);
    return { error: "Sign-in is unavailable right now; the error is in the server log.", email };
  }
  if (!outcome.ok) {
    return {
      error:
        outcome.reason === "no-role"
          ? "This account has no role yet: ask a commander to set app_metadata.role in Supabase."
          : "Wrong e-mail or password.",
      email,
    };
  }
  decision.attempt.succeeded();
  redirect(next);
}

/**
 * The last hop of X-Forwarded-For: what the nearest proxy saw, or the socket address Next puts
 * there when nobody did. A client talking to Next directly can forge it, which is why the
 * per-e-mail limit, not this one, is the firm one.
 */
async function clientAddress(): Promise<string | null> {
  const hops = (await headers()).get("x-forwarded-for")?.split(",") ?? [];
  return hops.at(-1)?.trim() || null;
}
