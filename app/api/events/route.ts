import { getSettings } from "@/lib/config/settings";
import { getDatabase } from "@/lib/db";
import { getChangeBroker } from "@/lib/live/change-broker";
import { createChangeStream, SSE_HEADERS } from "@/lib/live/sse";
import { getSessionActor } from "@/lib/web/session";

// A stream per request: never prerendered, never cached.
export const dynamic = "force-dynamic";

/** Live updates for open dashboards (DESIGN §9): database changes as server-sent events. */
export async function GET(request: Request): Promise<Response> {
  const noStore = { "cache-control": "no-store" };
  let actor;
  try {
    actor = await getSessionActor();
  } catch (error) {
    console.error("live updates: the session could not be read:", error);
    return Response.json({ error: "The session could not be checked" }, { status: 503, headers: noStore });
  }
  if (!actor) {
    return Response.json({ error: "Sign in to receive live updates" }, { status: 401, headers: noStore });
  }
  try {
    const broker = getChangeBroker(await getDatabase(getSettings()));
    const stream = await createChangeStream(broker, { signal: request.signal });
    return new Response(stream, { headers: SSE_HEADERS });
  } catch (error) {
    console.error("live updates: the change feed could not be opened:", error);
    return Response.json({ error: "Live updates are unavailable" }, { status: 503, headers: noStore });
  }
}
