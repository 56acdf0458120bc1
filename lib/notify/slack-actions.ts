import { z } from "zod";
import { toRepoRelative, type EventPaths } from "../config/paths";
import type { Settings } from "../config/settings";
import { defineAction } from "../control/action";
import { postSlackSummary, type SlackPostResult } from "./slack";
import { isSafeRunId } from "./slack-excerpt";
import { SLACK_STATUSES } from "./slack-message";

/**
 * Posting the masked Slack summary as an action (DESIGN §2): role-checked, refused while the kill
 * switch is engaged, validated, audited. Where it writes and posts (event folder, webhook) is bound
 * by the CLI or the server from settings; only the message's parts come from the caller.
 */
export interface SlackActionEnv {
  settings: Settings;
  paths: EventPaths;
  fetchImpl?: typeof fetch;
}

const runIdSchema = z.string().refine(isSafeRunId, {
  message: "a run id of 1-100 letters, digits, '.', '_' or '-' (it names the excerpt file)",
});

export const slackSummaryInputSchema = z
  .object({
    runId: runIdSchema,
    status: z.enum(SLACK_STATUSES, `one of ${SLACK_STATUSES.join(", ")}`),
    // Masked, then cut to 200 characters (DESIGN §8); the bound only stops absurd input.
    summary: z
      .string()
      .trim()
      .min(1, "a summary of at least 1 character")
      .max(5_000, "at most 5,000 characters"),
    retryContext: z.string().trim().max(1_000, "at most 1,000 characters").optional(),
  })
  .strict();

export type SlackSummaryRequest = z.input<typeof slackSummaryInputSchema>;

export function postSlackSummaryAction(env: SlackActionEnv) {
  return defineAction({
    name: "notify.slack",
    permission: "notify.slack",
    schema: slackSummaryInputSchema,
    run: ({ input, db, signal }): Promise<SlackPostResult> =>
      postSlackSummary({ ...env, ...input, db, signal }),
    // Never the summary itself: the excerpt file holds its masked text.
    audit: (input, result) => ({
      target: input.runId,
      detail: {
        status: input.status,
        posted: result.posted,
        response_code: result.responseCode ?? null,
        excerpt: toRepoRelative(result.excerptPath, env.paths.root),
      },
    }),
  });
}
