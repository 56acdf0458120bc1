import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/lib/live/keys";
import type { KpiView } from "@/lib/observer/kpi-data";

export async function fetchKpiData(windowDays: number): Promise<KpiView> {
  const response = await fetch(`/api/kpis?window_days=${windowDays}`, { cache: "no-store" });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
    const detail = typeof body?.error === "string" ? `: ${body.error}` : "";
    throw new Error(`GET /api/kpis answered ${response.status}${detail}`);
  }
  return (await response.json()) as KpiView;
}

/**
 * The KPI view's data for one window. Starts from the server's reading of that window; live
 * updates invalidate every window when a run changes. While another window loads, the previous
 * numbers stay on screen (marked as updating) instead of blanking the page.
 */
export function useKpiDataQuery(windowDays: number, initial: KpiView | undefined) {
  return useQuery({
    queryKey: queryKeys.kpis(windowDays),
    queryFn: () => fetchKpiData(windowDays),
    initialData: initial?.window_days === windowDays ? initial : undefined,
    placeholderData: keepPreviousData,
  });
}
