import { getEventPaths } from "../../config/paths";
import { runAction } from "../../control/action";
import { EXIT, InputError } from "../../errors";
import { postSlackSummaryAction } from "../../notify/slack-actions";
import { parseCommandArgs, requireFlag, writeResult, type Command } from "../command";
import { getCliActor } from "../database";
import { displayPath, getCliRoot, resolveCliSettings } from "../event";

const USAGE = `scripts/phase4-slack-summary.sh --run-id ID --status success|failure|retry|alert --summary TEXT
    [--retry-context TEXT] [--event NAME] [--json]

Writes the masked summary to slack_excerpts/<RUN_ID>-summary.md in the event folder and, when
SLACK_WEBHOOK_URL is set, posts it (DESIGN §8): only status, timestamp_utc, summary (at most 200
characters) and retry_context. Every configured secret, token shapes, URLs, e-mail addresses and
long hex strings are masked first. Posting follows the retry policy (DESIGN §5): 5xx, resets and
timeouts retried 3 times (5, 15, 45 s), 429 3 times (1, 4, 9 s or Retry-After), 403/404/other 4xx
not retried; each attempt is recorded in retry_history. Refused (exit 3) while the kill switch is
engaged.

  --run-id ID           the run the summary is about; names the excerpt file
  --status VALUE        success | failure | retry | alert
  --summary TEXT        what happened (masked, then cut to 200 characters)
  --retry-context TEXT  e.g. "retry_attempt=2 (5xx detected)"
  --event NAME          the event folder (overrides AUDIT_EVENT)
  --json                print one JSON line: { ok, run_id, posted, response_code, excerpt }

Prints one line:
  run_id=<id> slack=posted response_code=<code> excerpt=<path>
  run_id=<id> slack=not-configured excerpt=<path>   (SLACK_WEBHOOK_URL is not set)

Exit codes: 0 written (and posted when configured); 1 bad usage or input; 3 kill switch engaged;
75 Slack kept failing (5xx, 429, resets) after 3 retries; 78 Slack refused (403: check the secrets
with scripts/phase4-secrets-check.sh; 404: the webhook no longer exists; other 4xx).`;

const OPTIONS = {
  "run-id": { type: "string" },
  status: { type: "string" },
  summary: { type: "string" },
  "retry-context": { type: "string" },
  event: { type: "string" },
} as const;

export const slackSummaryCommand: Command = {
  name: "slack-summary",
  script: "scripts/phase4-slack-summary.sh",
  summary: "Write the masked Slack summary to slack_excerpts/ and post it when a webhook is set",
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, OPTIONS, false);
    if (positionals.length > 0) throw new InputError(`unexpected argument '${positionals[0]}' (see --help)`);
    const input = {
      runId: requireFlag(values["run-id"], "run-id", "the run the summary is about"),
      status: requireFlag(values.status, "status", "success, failure, retry or alert"),
      summary: requireFlag(values.summary, "summary", "what happened, in words (masked before it leaves)"),
      retryContext: values["retry-context"],
    };
    const root = getCliRoot(ctx);
    const settings = resolveCliSettings(ctx, values.event);
    const result = await runAction(
      postSlackSummaryAction({ settings, paths: getEventPaths(settings, root) }),
      {
        actor: getCliActor(ctx.env),
        input,
        db: await ctx.database(),
        signal: ctx.signal,
      },
    );
    const excerpt = displayPath(result.excerptPath, root);
    writeResult(
      ctx,
      values.json,
      {
        ok: true,
        run_id: input.runId,
        posted: result.posted,
        response_code: result.responseCode ?? null,
        excerpt,
      },
      result.posted
        ? `run_id=${input.runId} slack=posted response_code=${result.responseCode ?? 200} excerpt=${excerpt}`
        : `run_id=${input.runId} slack=not-configured excerpt=${excerpt}`,
    );
    return EXIT.ok;
  },
};
