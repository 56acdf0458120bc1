import { getCollectJob } from "@/lib/web/collect-jobs";
import { getSessionActor } from "@/lib/web/session";

// Read per request: never prerendered, never cached.
export const dynamic = "force-dynamic";

/**
 * A collection this server started for the signed-in person (lib/web/collect-jobs): running, done
 * with its summary, or failed with its (masked) reason. Another person's job reads as unknown.
 * GET /api/collect-jobs/ID
 */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  const noStore = { "cache-control": "no-store" };
  const actor = await getSessionActor();
  if (!actor)
    return Response.json({ error: "Sign in to read a collection" }, { status: 401, headers: noStore });
  const job = getCollectJob((await params).id);
  if (!job || job.actor !== actor.email) {
    return Response.json(
      { error: "No such collection here: it was started by someone else, or before the server restarted" },
      { status: 404, headers: noStore },
    );
  }
  return Response.json(job, { headers: noStore });
}
