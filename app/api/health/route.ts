import { getHealth } from "@/lib/db/health";

// Health is read per request: never prerendered, never cached.
export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const health = await getHealth();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
