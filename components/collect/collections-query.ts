import { useQuery } from "@tanstack/react-query";
import type { CollectionRecord } from "@/lib/collect/collections-store";
import { queryKeys } from "@/lib/live/keys";

async function readError(response: Response, what: string): Promise<Error> {
  const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
  const detail = typeof body?.error === "string" ? `: ${body.error}` : "";
  return new Error(`GET ${what} answered ${response.status}${detail}`);
}

export async function fetchCollections(runId?: string): Promise<CollectionRecord[]> {
  const url = runId ? `/api/collections?run_id=${encodeURIComponent(runId)}` : "/api/collections";
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw await readError(response, "/api/collections");
  return (await response.json()) as CollectionRecord[];
}

/**
 * The event's collections (or one run's), starting from the server's reading. Every write the
 * collector makes to the collections table arrives as a live change that invalidates this key,
 * so bytes and states move in every open dashboard while a download runs.
 */
export function useCollectionsQuery(runId: string | undefined, initial: CollectionRecord[]) {
  return useQuery({
    queryKey: queryKeys.collectionList(runId),
    queryFn: () => fetchCollections(runId),
    initialData: initial,
  });
}
