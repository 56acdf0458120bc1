import { useMutation, useQueryClient } from "@tanstack/react-query";
import { queryKeys } from "@/lib/live/keys";
import type { CollectJob } from "@/lib/web/collect-jobs";
import { startCollectRun, type CollectRunRequest } from "@/lib/web/actions/collect-run";

/** Calls the server action; a refusal becomes an Error carrying the server's message. */
export async function requestCollectRun(request: CollectRunRequest): Promise<CollectJob> {
  const result = await startCollectRun(request);
  if (!result.ok) throw new Error(result.error);
  return result.data;
}

export function useCollectRunMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: requestCollectRun,
    onSuccess: (job) => {
      queryClient.setQueryData(queryKeys.collectJob(job.id), job);
      return queryClient.invalidateQueries({ queryKey: queryKeys.collections() });
    },
  });
}
