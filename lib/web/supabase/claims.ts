import { roleSchema, type Actor, type Role } from "../../control/roles";

/**
 * A Supabase user (JWT claims or the user object) as the dashboard's actor. The role comes from
 * app_metadata only, which only the service key can write; user_metadata is set by users
 * themselves (supabase.auth.updateUser), so a role there is ignored. Pure: no "server-only", so
 * it is tested directly.
 */
export interface SupabaseIdentity {
  /** JWT claims carry the user id as sub, the user object as id. */
  sub?: unknown;
  id?: unknown;
  email?: unknown;
  app_metadata?: unknown;
  user_metadata?: unknown;
}

export function roleFromAppMetadata(appMetadata: unknown): Role | null {
  if (typeof appMetadata !== "object" || appMetadata === null) return null;
  const parsed = roleSchema.safeParse((appMetadata as { role?: unknown }).role);
  return parsed.success ? parsed.data : null;
}

/** The actor, or null when the user has no id or no valid role in app_metadata. */
export function actorFromSupabaseClaims(identity: SupabaseIdentity): Actor | null {
  const id = typeof identity.sub === "string" ? identity.sub : identity.id;
  if (typeof id !== "string" || id === "") return null;
  const role = roleFromAppMetadata(identity.app_metadata);
  if (!role) return null;
  const email =
    typeof identity.email === "string" && identity.email !== "" ? identity.email : `supabase:${id}`;
  return { id, email, role, via: "web" };
}
