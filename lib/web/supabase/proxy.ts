import { createServerClient } from "@supabase/ssr";
import { NextResponse, type NextRequest } from "next/server";
import type { Actor } from "../../control/roles";
import { actorFromSupabaseClaims } from "./claims";
import type { SupabaseAuthConfig } from "./config";

/**
 * The proxy's Supabase client (STYLE: the third place): refreshes the session on every request,
 * writing the new tokens both to the request (so the page sees them) and to the response (so the
 * browser keeps them), and says who is signed in. getClaims verifies the token's signature.
 */
export async function refreshSupabaseSession(
  request: NextRequest,
  config: SupabaseAuthConfig,
): Promise<{ response: NextResponse; actor: Actor | null }> {
  let response = NextResponse.next({ request });
  const supabase = createServerClient(config.url, config.anonKey, {
    cookies: {
      getAll: () => request.cookies.getAll(),
      setAll: (toSet, headers) => {
        for (const { name, value } of toSet) request.cookies.set(name, value);
        response = NextResponse.next({ request });
        for (const { name, value, options } of toSet) response.cookies.set(name, value, options);
        for (const [key, value] of Object.entries(headers)) response.headers.set(key, value);
      },
    },
  });
  const { data, error } = await supabase.auth.getClaims();
  const actor = error || !data ? null : actorFromSupabaseClaims(data.claims);
  return { response, actor };
}
