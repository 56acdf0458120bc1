import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { SecretsCheckResult } from "@/lib/control/secrets-check";
import { queryKeys } from "@/lib/live/keys";
import { runSecretsCheck } from "@/lib/web/actions/run-secrets-check";

/** Calls the server action; a refusal becomes an Error carrying the server's message. */
export async function requestSecretsCheck(): Promise<SecretsCheckResult> {
  const result = await runSecretsCheck();
  if (!result.ok) throw new Error(result.error);
  return result.data;
}

export function useRunSecretsCheckMutation() {
  const queryClient = useQueryClient();
  const router = useRouter();
  return useMutation({
    mutationFn: requestSecretsCheck,
    onSuccess: async () => {
      // Step 1 of the checklist verifies from the last recorded check.
      await queryClient.invalidateQueries({ queryKey: queryKeys.checklist() });
      await queryClient.invalidateQueries({ queryKey: queryKeys.auditLog() });
      router.refresh();
    },
  });
}
