import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { StepResult } from "@/lib/control/kill-switch-engage";
import { queryKeys } from "@/lib/live/keys";
import { engageKillSwitch, type EngageKillSwitchRequest } from "@/lib/web/actions/engage-kill-switch";

/** Calls the server action; a refusal becomes an Error carrying the server's message. */
export async function requestEngageKillSwitch(request: EngageKillSwitchRequest): Promise<StepResult[]> {
  const result = await engageKillSwitch(request);
  if (!result.ok) throw new Error(result.error);
  return result.data;
}

export function useEngageKillSwitchMutation() {
  const queryClient = useQueryClient();
  const router = useRouter();
  return useMutation({
    mutationFn: requestEngageKillSwitch,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.killSwitch() });
      router.refresh();
    },
  });
}
