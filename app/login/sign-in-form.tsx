"use client";

import { useActionState } from "react";
import { signIn, type SignInState } from "@/lib/web/actions/sign-in";

const INITIAL: SignInState = { error: null, email: "" };
const field =
  "mt-1 block w-full rounded border border-zinc-300 bg-white px-2.5 py-1.5 text-sm text-zinc-900 focus:border-accent-600";

/** The form posts to the server action; without JavaScript it is a plain POST with the same result. */
export function SignInForm({ next }: { next: string }) {
  const [state, formAction, pending] = useActionState(signIn, INITIAL);
  return (
    <form
      action={formAction}
      aria-label="Sign in"
      aria-describedby="sign-in-status"
      className="space-y-3 rounded border border-zinc-200 bg-white px-4 py-4"
    >
      <input type="hidden" name="next" value={next} />
      <label className="block text-xs font-medium text-zinc-700" htmlFor="sign-in-email">
        E-mail
        <input
          id="sign-in-email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state.email}
          className={field}
        />
      </label>
      <label className="block text-xs font-medium text-zinc-700" htmlFor="sign-in-password">
        Password
        <input
          id="sign-in-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className={field}
        />
      </label>
      <p
        id="sign-in-status"
        role="status"
        aria-live="polite"
        className={
          state.error ? "rounded border border-red-300 bg-red-50 px-2.5 py-1.5 text-red-900" : "sr-only"
        }
      >
        {state.error ?? (pending ? "Signing in…" : "")}
      </p>
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded bg-accent-700 px-3 py-1.5 font-medium text-white hover:bg-accent-800 disabled:opacity-60"
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
