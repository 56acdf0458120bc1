"use client";

import { ParityBadge } from "@/components/ui/badges";
import { formatUtc } from "@/components/ui/format";
import type { CollectionRecord } from "@/lib/collect/collections-store";
import { useCollectionsQuery } from "./collections-query";

/**
 * The run's parity as its last real collection found it (a dry run writes nothing, so it does not
 * count), live. Shares the downloads table's cache entry: one request feeds both.
 */
export function RunCollectionSummary({ runId, initial }: { runId: string; initial: CollectionRecord[] }) {
  const { data } = useCollectionsQuery(runId, initial);
  const real = data.filter((row) => !row.dryRun);
  const running = data.filter((row) => row.finishedAt === null).length;
  const last = real.find((row) => row.finishedAt !== null && row.shaParity !== null);
  return (
    <dl
      data-testid="run-collection-summary"
      className="grid max-w-2xl grid-cols-[max-content_1fr] gap-x-4 gap-y-1 rounded border border-zinc-200 bg-white px-3 py-2"
    >
      <dt className="text-zinc-500">Parity (last collection)</dt>
      <dd>
        {last?.shaParity === true || last?.shaParity === false ? (
          <span className="flex flex-wrap items-center gap-2">
            <ParityBadge parity={last.shaParity} />
            <span className="text-xs text-zinc-600">
              sha_parity={String(last.shaParity)} · {formatUtc(last.finishedAt ?? last.startedAt)} by{" "}
              {last.actor}
            </span>
          </span>
        ) : (
          <span className="text-zinc-600">not collected from GitHub yet</span>
        )}
      </dd>
      <dt className="text-zinc-500">Downloads</dt>
      <dd className="tabular-nums">
        {real.length} artifact download{real.length === 1 ? "" : "s"}, {data.length - real.length} in dry runs
        {running > 0 ? <span className="ml-2 text-accent-700">{running} in progress</span> : null}
      </dd>
    </dl>
  );
}
