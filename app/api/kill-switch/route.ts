import { getKillSwitchBanner } from "@/lib/web/kill-switch-state";
import { getSessionActor } from "@/lib/web/session";

// Read per request: never prerendered, never cached.
export const dynamic = "force-dynamic";

/**
 * The kill switch as the banner shows it, for the React Query cache: live updates invalidate it
 * when the switch changes, so the banner follows within the second without re-rendering the page.
 */
export async function GET(): Promise<Response> {
  const noStore = { "cache-control": "no-store" };
  if (!(await getSessionActor())) {
    return Response.json({ error: "Sign in to read the kill switch" }, { status: 401, headers: noStore });
  }
  return Response.json(await getKillSwitchBanner(), { headers: noStore });
}
