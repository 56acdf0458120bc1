"use client";

import type { CollectionRecord } from "@/lib/collect/collections-store";
import { CollectionsTable } from "./collections-table";
import { useCollectionsQuery } from "./collections-query";

/**
 * The collections table kept live: rendered from the server's reading, then from the React Query
 * cache, which every change to the collections table invalidates (a download's bytes included).
 */
export function LiveCollections({
  runId,
  initial,
  caption,
  empty,
}: {
  runId?: string;
  initial: CollectionRecord[];
  caption: string;
  empty: string;
}) {
  const { data, error } = useCollectionsQuery(runId, initial);
  return (
    <div className="space-y-2">
      {error ? (
        <p role="alert" className="text-sm text-red-800">
          Live refresh failed: {error.message}. Showing the last reading.
        </p>
      ) : null}
      {data.length === 0 ? (
        <p className="text-zinc-600">{empty}</p>
      ) : (
        <CollectionsTable rows={data} caption={caption} showRun={runId === undefined} />
      )}
    </div>
  );
}
