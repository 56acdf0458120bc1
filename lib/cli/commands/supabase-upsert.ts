import { getEventPaths } from "../../config/paths";
import { settingsSchema, withOverrides } from "../../config/settings";
import { runAction } from "../../control/action";
import { EXIT, InputError, KillSwitchEngagedError } from "../../errors";
import { createMasker, maskDeep, type Mask } from "../../notify/mask";
import { upsertMetricsAction } from "../../supabase/metrics-actions";
import type { UpsertDecision, UpsertResult } from "../../supabase/metrics-upsert";
import { parseCommandArgs, writeResult, type Command, type CommandContext } from "../command";
import { getCliActor } from "../database";
import { getCliRoot, resolveCliSettings } from "../event";
import { rowFromFlags } from "./supabase-upsert-row";

const USAGE = `scripts/phase4-supabase-upsert.sh --run-id ID --status success|failure|cancelled --duration SEC
    --validator-verdict WORD --prov-sha HEX --computed-sha HEX --created-at UTC --observed-at UTC
    [--retries N] [--retries-exhausted true|false] [--window-days N] [--table NAME] [--event NAME]
    [--dry-run] [--json]

Upserts one metrics row into Supabase (SUPABASE_URL, SUPABASE_SERVICE_KEY) keyed by run_id, under
the retry policy (DESIGN §5): 5xx, resets and timeouts are retried 3 times (5, 15, 45 s), 429 3
times (1, 4, 9 s or Retry-After), 403/422/other 4xx are not retried, 409 counts as success. Every
attempt is recorded in retry_history; each decision is printed. Three consecutive 5xx answers
within 5 minutes engage the kill switch. Refused (exit 3) while the kill switch is engaged.

  --run-id ID               the run the metrics belong to
  --status VALUE            success | failure | cancelled
  --duration SEC            the run's duration in seconds (> 0)
  --validator-verdict WORD  e.g. pass, warn, fail
  --prov-sha HEX            the provenance's SHA-256 ('' when there is none)
  --computed-sha HEX        the artifact's SHA-256 ('' when there is none)
  --created-at UTC          ISO 8601 UTC, e.g. 2025-11-14T09:30:00Z
  --observed-at UTC         ISO 8601 UTC
  --retries N               the run's retries (default 0)
  --retries-exhausted BOOL  true | false (default false)
  --window-days N           the observer window (days)
  --table NAME              overrides SUPABASE_METRICS_TABLE
  --event NAME              the event folder an automatic trip writes to (overrides AUDIT_EVENT)
  --dry-run                 print the row and send nothing
  --json                    print one JSON line

Exit codes: 0 upserted (2xx, or 409: the run_id is there already); 1 bad usage or input; 3 kill
switch engaged (nothing sent); 75 retries exhausted; 78 refused by Supabase (403: check the
secrets with scripts/phase4-secrets-check.sh; 422 and other 4xx: the row) or SUPABASE_URL /
SUPABASE_SERVICE_KEY missing.`;

const OPTIONS = {
  "run-id": { type: "string" },
  status: { type: "string" },
  duration: { type: "string" },
  "validator-verdict": { type: "string" },
  "prov-sha": { type: "string" },
  "computed-sha": { type: "string" },
  "created-at": { type: "string" },
  "observed-at": { type: "string" },
  retries: { type: "string" },
  "retries-exhausted": { type: "string" },
  "window-days": { type: "string" },
  table: { type: "string" },
  event: { type: "string" },
  "dry-run": { type: "boolean" },
} as const;

function decisionLine(d: UpsertDecision): string {
  const answer =
    d.status !== undefined ? `status=${d.status}` : `status=none error=${d.errorCode ?? "unknown"}`;
  return `attempt=${d.attempt} ${answer} decision=${d.decision.kind} wait_ms=${d.waitMs} reason=${JSON.stringify(d.decision.reason)}`;
}

const decisionJson = (d: UpsertDecision) => ({
  attempt: d.attempt,
  status: d.status ?? null,
  error_code: d.errorCode ?? null,
  decision: d.decision.kind,
  wait_ms: d.waitMs,
  reason: d.decision.reason,
});

export const supabaseUpsertCommand: Command = {
  name: "supabase-upsert",
  script: "scripts/phase4-supabase-upsert.sh",
  summary: "Upsert one metrics row to Supabase keyed by run_id, under the retry policy",
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, OPTIONS, false);
    if (positionals.length > 0) throw new InputError(`unexpected argument '${positionals[0]}' (see --help)`);
    const row = rowFromFlags(values);
    let settings = resolveCliSettings(ctx, values.event);
    if (values.table !== undefined) {
      if (!settingsSchema.shape.SUPABASE_METRICS_TABLE.safeParse(values.table).success) {
        throw new InputError(
          `--table: expected a table name of lower-case letters, digits and '_' (got '${values.table}')`,
        );
      }
      settings = withOverrides(settings, { SUPABASE_METRICS_TABLE: values.table });
    }
    const table = settings.SUPABASE_METRICS_TABLE;
    if (values["dry-run"]) {
      // The row is the caller's own validated input (no secrets, no URLs): shown as it would be sent.
      writeResult(
        ctx,
        values.json,
        { ok: true, dry_run: true, table, row },
        `dry_run=true table=${table} row=${JSON.stringify(row)}`,
      );
      return EXIT.ok;
    }
    const mask = createMasker(settings);
    const decisions: UpsertDecision[] = [];
    const action = upsertMetricsAction({
      settings,
      paths: getEventPaths(settings, getCliRoot(ctx)),
      onDecision: (d) => {
        decisions.push(d);
        if (!values.json) ctx.stdout.write(`${mask(decisionLine(d))}\n`);
      },
    });
    const output = await runAction(action, {
      actor: getCliActor(ctx.env),
      input: { rows: [row] },
      db: await ctx.database(),
      signal: ctx.signal,
    });
    const result = output.results[0];
    if (output.halted !== null || !result)
      throw new KillSwitchEngagedError(output.halted ?? "Refused: the kill switch is engaged");
    return report(ctx, values.json, mask, { table, result, decisions });
  },
};

function report(
  ctx: CommandContext,
  json: boolean | undefined,
  mask: Mask,
  { table, result, decisions }: { table: string; result: UpsertResult; decisions: UpsertDecision[] },
): number {
  const code = { success: EXIT.ok, exhausted: EXIT.retryExhausted, refused: EXIT.serviceRefused }[
    result.outcome
  ];
  const response = result.responseCode ?? "none";
  writeResult(
    ctx,
    json,
    maskDeep(
      {
        ok: code === EXIT.ok,
        exit_code: code,
        run_id: result.runId,
        table,
        response_code: result.responseCode,
        outcome: result.outcome,
        attempts: result.attempts,
        retries_exhausted: result.retryExhausted,
        kill_switch_tripped: result.tripped,
        decisions: decisions.map(decisionJson),
      },
      mask,
    ),
    mask(
      `run_id=${result.runId} table=${table} response_code=${response} outcome=${result.outcome} attempts=${result.attempts} retries_exhausted=${result.retryExhausted}`,
    ),
  );
  const last = decisions.at(-1)?.decision.reason ?? `HTTP ${response}`;
  if (result.outcome === "exhausted") {
    ctx.stderr.write(
      mask(
        `error: the upsert of run_id ${result.runId} to SUPABASE_URL exhausted its retries after ${result.attempts} attempts (${last}); retry_exhausted=true is recorded in retry_history\n`,
      ),
    );
  } else if (result.outcome === "refused") {
    const hint =
      result.responseCode === 401 ? "; check SUPABASE_SERVICE_KEY with scripts/phase4-secrets-check.sh" : "";
    ctx.stderr.write(mask(`error: Supabase refused the upsert of run_id ${result.runId}: ${last}${hint}\n`));
  }
  if (result.tripped) {
    ctx.stderr.write(
      "kill_switch=engaged automatically (supabase_5xx_streak): 3 consecutive 5xx answers from the Supabase upsert within 5 minutes\n",
    );
  }
  return code;
}
