import { InputError } from "@/lib/errors";
import { loadCollections, parseRunIdParam } from "@/lib/web/collect-view";
import { getSessionActor } from "@/lib/web/session";

// Read per request: never prerendered, never cached.
export const dynamic = "force-dynamic";

/**
 * The event's collections (one row per artifact per collection: state, bytes, parity) for the
 * React Query cache; live updates invalidate it on every change to the collections table, which
 * is how download progress reaches every open dashboard. Any signed-in role may read it.
 * GET /api/collections[?run_id=DIGITS]
 */
export async function GET(request: Request): Promise<Response> {
  const noStore = { "cache-control": "no-store" };
  if (!(await getSessionActor())) {
    return Response.json({ error: "Sign in to read the collections" }, { status: 401, headers: noStore });
  }
  let runId: string | undefined;
  try {
    runId = parseRunIdParam(new URL(request.url).searchParams.get("run_id"));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return Response.json({ error: error.message }, { status: 400, headers: noStore });
  }
  try {
    return Response.json(await loadCollections(runId), { headers: noStore });
  } catch (error) {
    console.error("collections could not be read:", error);
    return Response.json(
      { error: "The collections could not be read from the database" },
      { status: 503, headers: noStore },
    );
  }
}
