import type { Settings } from "../../config/settings";
import { InputError } from "../../errors";

/**
 * Which sign-in the dashboard uses (DESIGN §9): Supabase Auth when NEXT_PUBLIC_SUPABASE_URL is
 * set, local accounts otherwise. No "server-only" here: the proxy and instrumentation read it too.
 */
export interface SupabaseAuthConfig {
  url: string;
  anonKey: string;
}

export function getSupabaseAuthConfig(
  settings: Pick<Settings, "NEXT_PUBLIC_SUPABASE_URL" | "NEXT_PUBLIC_SUPABASE_ANON_KEY">,
): SupabaseAuthConfig | null {
  const url = settings.NEXT_PUBLIC_SUPABASE_URL;
  if (!url) return null;
  const anonKey = settings.NEXT_PUBLIC_SUPABASE_ANON_KEY;
  if (!anonKey) {
    throw new InputError(
      "NEXT_PUBLIC_SUPABASE_ANON_KEY: expected the Supabase project's anon key when NEXT_PUBLIC_SUPABASE_URL is set",
    );
  }
  return { url, anonKey };
}
