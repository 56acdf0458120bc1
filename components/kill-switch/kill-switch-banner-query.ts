import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/lib/live/keys";
import type { KillSwitchBanner } from "@/lib/web/kill-switch-state";

export async function fetchKillSwitchBanner(): Promise<KillSwitchBanner> {
  const response = await fetch("/api/kill-switch", { cache: "no-store" });
  if (!response.ok) throw new Error(`GET /api/kill-switch answered ${response.status}`);
  return (await response.json()) as KillSwitchBanner;
}

/** Starts from the server's reading; live updates invalidate the key when the switch changes. */
export function useKillSwitchBannerQuery(initial: KillSwitchBanner) {
  return useQuery({
    queryKey: queryKeys.killSwitchState(),
    queryFn: fetchKillSwitchBanner,
    initialData: initial,
  });
}
