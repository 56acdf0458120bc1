import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSettings } from "@/lib/config/settings";
import { safeNextPath } from "@/lib/web/next-path";
import { getSessionActor } from "@/lib/web/session";
import { getSupabaseAuthConfig } from "@/lib/web/supabase/config";
import { SignInForm } from "./sign-in-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

/** The one page open without a session (with /api/health): the proxy sends everyone else here. */
export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const { next } = await searchParams;
  const target = safeNextPath(next);
  if (await getSessionActor()) redirect(target);
  const supabase = getSupabaseAuthConfig(getSettings()) !== null;
  return (
    <div className="mx-auto mt-8 max-w-sm">
      <h1 className="text-lg font-semibold text-zinc-900">Sign in</h1>
      <p className="mt-1 mb-4 text-zinc-600">
        {supabase
          ? "With your Supabase account; your role comes from the project's app_metadata."
          : "With a local account of this dashboard."}
      </p>
      <SignInForm next={target} />
      {supabase ? null : (
        <div className="mt-5 space-y-1.5 text-xs text-zinc-500">
          <p>
            Accounts are added with{" "}
            <code className="text-[11px] text-zinc-700">
              scripts/phase4-users.sh add --email E --role ROLE
            </code>
            .
          </p>
          <p>
            On the first start the server printed a commander account and its one-time password to its
            console.
          </p>
        </div>
      )}
    </div>
  );
}
