import type { CollectionRecord } from "@/lib/collect/collections-store";
import type { SelfHealAttempt } from "@/lib/collect/self-heal-store";
import type { KillSwitchBanner } from "@/lib/web/kill-switch-state";
import { CollectThisRun } from "./collect-this-run";
import { LiveCollections } from "./live-collections";
import { RunCollectionSummary } from "./run-collection-summary";
import { SelfHealTable } from "./self-heal-table";

/**
 * A run detail's collection section: parity as last collected, every download (artifact, size,
 * digest, when, who, dry run), the self-heal history with its time to heal against 24 h, and for
 * operators the button that collects the run again. Everything in it follows the database live.
 */
export function RunCollectionSection({
  githubRunId,
  collections,
  attempts,
  collect,
}: {
  githubRunId: string;
  collections: CollectionRecord[];
  attempts: SelfHealAttempt[];
  /** Present for operators: what the button needs. */
  collect: { initialBanner: KillSwitchBanner; blockedBy: string | null } | null;
}) {
  return (
    <div className="space-y-4">
      <RunCollectionSummary runId={githubRunId} initial={collections} />
      {collect ? (
        <CollectThisRun
          runId={githubRunId}
          initialBanner={collect.initialBanner}
          blockedBy={collect.blockedBy}
        />
      ) : null}
      <div>
        <h3 className="mb-1 text-xs font-semibold text-zinc-700">Downloads</h3>
        <LiveCollections
          runId={githubRunId}
          initial={collections}
          caption={`Downloads of run ${githubRunId}, newest first`}
          empty="No download recorded for this run: it has not been collected from GitHub yet."
        />
      </div>
      <div>
        <h3 className="mb-1 text-xs font-semibold text-zinc-700">Self-heal history</h3>
        <SelfHealTable runId={githubRunId} initial={attempts} />
      </div>
    </div>
  );
}
