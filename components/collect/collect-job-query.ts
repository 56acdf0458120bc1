import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/lib/live/keys";
import type { CollectJob } from "@/lib/web/collect-jobs";

export async function fetchCollectJob(jobId: string): Promise<CollectJob> {
  const response = await fetch(`/api/collect-jobs/${encodeURIComponent(jobId)}`, { cache: "no-store" });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
    const detail = typeof body?.error === "string" ? `: ${body.error}` : "";
    throw new Error(`GET /api/collect-jobs answered ${response.status}${detail}`);
  }
  return (await response.json()) as CollectJob;
}

/**
 * The collection this person started, until it ends: seeded by the action's answer, refreshed
 * when its rows change (live updates) and every second while it runs, for what rows cannot show
 * (a failure before the first artifact, the outcome's summary).
 */
export function useCollectJobQuery(initial: CollectJob | null) {
  return useQuery({
    queryKey: queryKeys.collectJob(initial?.id ?? "none"),
    queryFn: () => fetchCollectJob(initial?.id ?? ""),
    enabled: initial !== null,
    initialData: initial ?? undefined,
    refetchInterval: (query) => (query.state.data?.state === "running" ? 1_000 : false),
  });
}
