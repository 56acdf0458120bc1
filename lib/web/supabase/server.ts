import "server-only";
import { createServerClient } from "@supabase/ssr";
import { cookies } from "next/headers";
import type { SupabaseAuthConfig } from "./config";

/**
 * The server's Supabase client, made per request over that request's cookies (STYLE: never a
 * module global that carries a session).
 */
export async function createSupabaseServerClient(config: SupabaseAuthConfig) {
  const store = await cookies();
  return createServerClient(config.url, config.anonKey, {
    cookies: {
      getAll: () => store.getAll(),
      setAll: (toSet) => {
        try {
          for (const { name, value, options } of toSet) store.set(name, value, options);
        } catch {
          // A server component cannot set cookies; the proxy refreshes the session on the next
          // request, so a refresh lost here costs nothing (@supabase/ssr's documented pattern).
        }
      },
    },
  });
}
