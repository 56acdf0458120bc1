import { InputError } from "@/lib/errors";
import { parseWindowDays } from "@/lib/observer/kpi-params";
import { loadKpiView } from "@/lib/web/kpi-view";
import { getSessionActor } from "@/lib/web/session";

// Read per request: never prerendered, never cached.
export const dynamic = "force-dynamic";

/**
 * The KPI view's data (KPIs, hourly and daily series, the quality gate) for the React Query
 * cache: live updates invalidate it when a run changes. Any signed-in role may read it.
 * GET /api/kpis?window_days=N (an integer from 1 to 90; default 7).
 */
export async function GET(request: Request): Promise<Response> {
  const noStore = { "cache-control": "no-store" };
  let actor;
  try {
    actor = await getSessionActor();
  } catch (error) {
    console.error("KPIs: the session could not be read:", error);
    return Response.json({ error: "The session could not be checked" }, { status: 503, headers: noStore });
  }
  if (!actor) return Response.json({ error: "Sign in to read the KPIs" }, { status: 401, headers: noStore });

  let windowDays: number;
  try {
    windowDays = parseWindowDays(new URL(request.url).searchParams.get("window_days"));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return Response.json({ error: error.message }, { status: 400, headers: noStore });
  }
  try {
    return Response.json(await loadKpiView(windowDays), { headers: noStore });
  } catch (error) {
    console.error("KPIs could not be computed:", error);
    return Response.json(
      { error: "The KPIs could not be computed: the database could not be read" },
      { status: 503, headers: noStore },
    );
  }
}
