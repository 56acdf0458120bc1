import { InputError } from "@/lib/errors";
import { loadSelfHealAttempts, parseRunIdParam } from "@/lib/web/collect-view";
import { getSessionActor } from "@/lib/web/session";

// Read per request: never prerendered, never cached.
export const dynamic = "force-dynamic";

/**
 * One run's self-heal attempts (why, outcome, time to heal against 24 h) for the run detail's
 * React Query cache; live updates invalidate it. Any signed-in role may read it.
 * GET /api/self-heal-attempts?run_id=DIGITS
 */
export async function GET(request: Request): Promise<Response> {
  const noStore = { "cache-control": "no-store" };
  if (!(await getSessionActor())) {
    return Response.json(
      { error: "Sign in to read the self-heal attempts" },
      { status: 401, headers: noStore },
    );
  }
  let runId: string | undefined;
  try {
    runId = parseRunIdParam(new URL(request.url).searchParams.get("run_id"));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return Response.json({ error: error.message }, { status: 400, headers: noStore });
  }
  if (runId === undefined) {
    return Response.json(
      { error: "run_id: expected a GitHub run id (digits)" },
      { status: 400, headers: noStore },
    );
  }
  try {
    return Response.json(await loadSelfHealAttempts(runId), { headers: noStore });
  } catch (error) {
    console.error("self-heal attempts could not be read:", error);
    return Response.json(
      { error: "The self-heal attempts could not be read from the database" },
      { status: 503, headers: noStore },
    );
  }
}
