import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { ReleaseOutcome } from "@/lib/control/kill-switch-engage";
import { queryKeys } from "@/lib/live/keys";
import { releaseKillSwitch } from "@/lib/web/actions/release-kill-switch";

/** Calls the server action; a refused release is an outcome (its checks), not an error. */
export async function requestReleaseKillSwitch(): Promise<ReleaseOutcome> {
  const result = await releaseKillSwitch();
  if (!result.ok) throw new Error(result.error);
  return result.data;
}

export function useReleaseKillSwitchMutation() {
  const queryClient = useQueryClient();
  const router = useRouter();
  return useMutation({
    mutationFn: requestReleaseKillSwitch,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.killSwitch() });
      router.refresh();
    },
  });
}
