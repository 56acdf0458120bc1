import { createBrowserClient } from "@supabase/ssr";

/**
 * The browser's Supabase client (STYLE: one of exactly three places), for client components in
 * Supabase mode. Sign-in and sign-out run on the server; this reads the session the server set.
 * NEXT_PUBLIC_* are written literally so Next inlines them into the bundle.
 */
export function createSupabaseBrowserClient() {
  const url = process.env.NEXT_PUBLIC_SUPABASE_URL;
  const anonKey = process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY;
  if (!url || !anonKey) {
    throw new Error(
      "NEXT_PUBLIC_SUPABASE_URL and NEXT_PUBLIC_SUPABASE_ANON_KEY: expected both for Supabase Auth in the browser",
    );
  }
  return createBrowserClient(url, anonKey);
}
