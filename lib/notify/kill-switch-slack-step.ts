import { toRepoRelative } from "../config/paths";
import { registerEngageStep, type EngageContext, type EngageStep } from "../control/kill-switch-engage";
import { postSlackSummary, SlackRefusedError, SlackRetryExhaustedError } from "./slack";

/**
 * Step 5 of the kill switch's engage sequence (DESIGN §7): a masked Slack status with only
 * status, timestamp and summary. Skipped without SLACK_WEBHOOK_URL. A failure is this step's
 * own: the engine records it and the switch stays engaged.
 */

/**
 * The engaging action's own signal is already aborted when the steps run (engaging aborts all work
 * in flight), so the post gets its own deadline: the retry policy's waits at scale 1 would keep a
 * commander's engage waiting over a minute for an unreachable Slack.
 */
export const KILL_SWITCH_SLACK_DEADLINE_MS = 30_000;

/** The kill switch has no run id; its excerpt is named by the moment it was engaged. */
export function killSwitchExcerptId(at: Date): string {
  return `killswitch-${at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}`;
}

export const killSwitchSlackStep: EngageStep = {
  id: "slack",
  title: "Post a masked Slack status",
  order: 5,
  run: async (ctx: EngageContext) => {
    if (ctx.settings.SLACK_WEBHOOK_URL === undefined) return null;
    const at = new Date();
    try {
      const result = await postSlackSummary({
        settings: ctx.settings,
        paths: ctx.paths,
        runId: killSwitchExcerptId(at),
        status: "alert",
        // buildSlackSummary masks the reason and cuts the summary to 200 characters.
        summary: `kill switch engaged: ${ctx.reason}`,
        at,
        db: ctx.db,
        fetchImpl: ctx.fetchImpl,
        signal: AbortSignal.timeout(KILL_SWITCH_SLACK_DEADLINE_MS),
      });
      return `posted to SLACK_WEBHOOK_URL (HTTP ${result.responseCode ?? 200}); excerpt ${toRepoRelative(result.excerptPath, ctx.paths.root)}`;
    } catch (error) {
      if (error instanceof SlackRefusedError || error instanceof SlackRetryExhaustedError) throw error;
      if (error instanceof Error && error.name === "TimeoutError") {
        throw new Error(`Slack status not posted within ${KILL_SWITCH_SLACK_DEADLINE_MS / 1000} s`, {
          cause: error,
        });
      }
      throw error;
    }
  },
};

registerEngageStep(killSwitchSlackStep);
