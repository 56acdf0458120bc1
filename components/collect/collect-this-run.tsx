"use client";

import { useState } from "react";
import { useKillSwitchBannerQuery } from "@/components/kill-switch/kill-switch-banner-query";
import type { CollectJob } from "@/lib/web/collect-jobs";
import type { KillSwitchBanner } from "@/lib/web/kill-switch-state";
import { CollectJobStatus } from "./collect-job-status";
import { useCollectRunMutation } from "./collect-run-mutation";

/**
 * The run detail's button for operators: collect this run again (or dry-run it). Disabled while
 * the kill switch is engaged (read live) or GitHub is not configured; the server decides anyway.
 */
export function CollectThisRun({
  runId,
  initialBanner,
  blockedBy,
}: {
  runId: string;
  initialBanner: KillSwitchBanner;
  blockedBy: string | null;
}) {
  const { data: banner } = useKillSwitchBannerQuery(initialBanner);
  const collect = useCollectRunMutation();
  const [dryRun, setDryRun] = useState(false);
  const [last, setLast] = useState<{ job: CollectJob | null; error: string | null } | null>(null);
  const engaged = banner.state === "engaged";

  return (
    <div className="max-w-2xl space-y-2">
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          disabled={engaged || blockedBy !== null || collect.isPending}
          onClick={() =>
            collect.mutate(
              { runId, dryRun },
              {
                onSuccess: (job) => setLast({ job, error: null }),
                onError: (error) => setLast({ job: null, error: error.message }),
              },
            )
          }
          className="h-8 rounded bg-accent-700 px-3 text-sm font-medium text-white hover:bg-accent-800 disabled:cursor-not-allowed disabled:opacity-50"
        >
          {collect.isPending ? "Starting…" : dryRun ? "Dry-run this run" : "Collect this run"}
        </button>
        <label className="flex items-center gap-2 text-zinc-900">
          <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />
          Dry run (write nothing)
        </label>
      </div>
      {engaged ? <p className="text-red-800">The kill switch is engaged: collection is refused.</p> : null}
      {blockedBy ? <p className="text-amber-900">GitHub is not configured: {blockedBy}.</p> : null}
      <CollectJobStatus job={last?.job ?? null} error={last?.error ?? null} />
    </div>
  );
}
