import { useMutation, useQueryClient } from "@tanstack/react-query";
import { queryKeys } from "@/lib/live/keys";
import type { CollectJob } from "@/lib/web/collect-jobs";
import { startCollectWindow, type CollectWindowRequest } from "@/lib/web/actions/collect-window";

/** Calls the server action; a refusal becomes an Error carrying the server's message. */
export async function requestCollectWindow(request: CollectWindowRequest): Promise<CollectJob> {
  const result = await startCollectWindow(request);
  if (!result.ok) throw new Error(result.error);
  return result.data;
}

export function useCollectWindowMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: requestCollectWindow,
    onSuccess: (job) => {
      queryClient.setQueryData(queryKeys.collectJob(job.id), job);
      return queryClient.invalidateQueries({ queryKey: queryKeys.collections() });
    },
  });
}
