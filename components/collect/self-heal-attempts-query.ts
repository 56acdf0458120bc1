import { useQuery } from "@tanstack/react-query";
import type { SelfHealAttempt } from "@/lib/collect/self-heal-store";
import { queryKeys } from "@/lib/live/keys";

export async function fetchSelfHealAttempts(runId: string): Promise<SelfHealAttempt[]> {
  const response = await fetch(`/api/self-heal-attempts?run_id=${encodeURIComponent(runId)}`, {
    cache: "no-store",
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
    const detail = typeof body?.error === "string" ? `: ${body.error}` : "";
    throw new Error(`GET /api/self-heal-attempts answered ${response.status}${detail}`);
  }
  return (await response.json()) as SelfHealAttempt[];
}

/** One run's self-heal attempts, starting from the server's reading; live updates invalidate it. */
export function useSelfHealAttemptsQuery(runId: string, initial: SelfHealAttempt[]) {
  return useQuery({
    queryKey: queryKeys.selfHealAttemptsOf(runId),
    queryFn: () => fetchSelfHealAttempts(runId),
    initialData: initial,
  });
}
