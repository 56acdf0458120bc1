"use client";

import type { KillSwitchBanner as Banner } from "@/lib/web/kill-switch-state";
import { KillSwitchBanner } from "./kill-switch-banner";
import { useKillSwitchBannerQuery } from "./kill-switch-banner-query";

/**
 * The banner for a signed-in person: rendered by the server first, then kept current from the
 * React Query cache, which live updates invalidate the moment the switch changes.
 */
export function LiveKillSwitchBanner({ initial }: { initial: Banner }) {
  const { data } = useKillSwitchBannerQuery(initial);
  return <KillSwitchBanner banner={data} detailed />;
}
