import { runAction } from "../../control/action";
import { EXIT, InputError } from "../../errors";
import { utcTimestamp } from "../../evidence/utc-timestamp";
import { createMasker } from "../../notify/mask";
import { isSafeRunId } from "../../notify/slack-excerpt";
import { observerReportAction, type ObserverReportOutput } from "../../observer/report-action";
import { readRunsForReport } from "../../observer/report-read";
import { isMirroredDigest } from "../../db/runs-mirror";
import { parseCommandArgs, requireFlag, writeResult, type Command } from "../command";
import { getCliActor } from "../database";
import { displayPath, getCliRoot, resolveCliSettings } from "../event";
import { getEventPaths } from "../../config/paths";

const USAGE = `scripts/phase4-observer-report.sh --observer-run-id ID [--window-days N] [--as-of UTC]
    [--supabase-upsert] [--notes TEXT] [--event NAME] [--json]

The observer run (DESIGN §6): reads RUNS_SUMMARY.json, mirrors its runs into the database,
computes the KPIs over the runs completed in the window (as-of − N days, as-of], stores a KPI
snapshot, writes PHASE3_AUDIT_SUMMARY.md (KPIs, automated findings, change log; the manual
sections and Go/No-Go are left as they are) and AUTO_OBSERVER_SUMMARY.md (this run's section,
replaced on a re-run with the same id; change log), and the masked Slack summary to
slack_excerpts/<ID>-summary.md (posted when SLACK_WEBHOOK_URL is set). A manifest that does not
parse, or a run recorded as both success and failure, trips the kill switch.

  --observer-run-id ID   names the run's section and Slack excerpt (letters, digits, '.', '_', '-')
  --window-days N        the window in days (default 7)
  --as-of UTC            the moment the KPIs are computed at (default now), e.g. 2025-11-14T00:00:00Z
  --supabase-upsert      upsert one metrics row per run in the window (SUPABASE_URL, SUPABASE_SERVICE_KEY)
                         and record each answer on the run in RUNS_SUMMARY.json
  --notes TEXT           written (masked) into the run's section
  --event NAME           the event folder (overrides AUDIT_EVENT)
  --json                 print one JSON line

Progress goes to stderr. Exit codes: 0 done; 1 bad usage or input; 3 kill switch engaged (also
when this run tripped it); 75 an upsert or the Slack post exhausted its retries; 78 a
non-retryable answer (403, 422, other 4xx) or SUPABASE_URL / SUPABASE_SERVICE_KEY missing.`;

const OPTIONS = {
  "observer-run-id": { type: "string" },
  "window-days": { type: "string" },
  "as-of": { type: "string" },
  "supabase-upsert": { type: "boolean" },
  notes: { type: "string" },
  event: { type: "string" },
} as const;

const DEFAULT_WINDOW_DAYS = 7;

export const observerReportCommand: Command = {
  name: "observer-report",
  script: "scripts/phase4-observer-report.sh",
  summary: "Observer run: KPIs over the window, both audit summaries, KPI snapshot, metrics upsert, Slack",
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, OPTIONS, false);
    if (positionals.length > 0) throw new InputError(`unexpected argument '${positionals[0]}' (see --help)`);
    const observerRunId = requireFlag(
      values["observer-run-id"],
      "observer-run-id",
      "an id for this observer run",
    );
    if (!isSafeRunId(observerRunId)) {
      throw new InputError(
        "--observer-run-id: expected 1-100 letters, digits, '.', '_' or '-' starting with a letter or digit (it names the report's section and slack_excerpts/<ID>-summary.md)",
      );
    }
    const windowDays = parseWindowDays(values["window-days"]);
    const asOf = parseAsOf(values["as-of"]);
    const settings = resolveCliSettings(ctx, values.event);
    const root = getCliRoot(ctx);
    const paths = getEventPaths(settings, root);
    const mask = createMasker(settings);
    // Both take a while: the embedded database starts in a worker thread while this thread
    // parses the runs (DESIGN §11). The parse blocks this thread, so it starts only once the
    // worker runs. Nothing is acted on before the action's checks.
    const database = ctx.database();
    database.catch(() => undefined); // awaited below; a failure is reported there
    await (ctx.databaseStarted?.() ??
      database.then(
        () => undefined,
        () => undefined,
      ));
    const preread = readRunsForReport(paths.runsSummary, {
      trust: async (digest) => isMirroredDigest(await database, paths.event, digest),
      kpis: { asOf: new Date(asOf), windowDays },
    });

    const output = await runAction(
      observerReportAction({
        settings,
        paths,
        preread,
        progress: (line) => ctx.stderr.write(`observer-report: ${mask(line)}\n`),
      }),
      {
        actor: getCliActor(ctx.env),
        input: {
          observerRunId,
          windowDays,
          asOf,
          supabaseUpsert: values["supabase-upsert"] ?? false,
          notes: values.notes ?? null,
        },
        db: await database,
        signal: ctx.signal,
      },
    );
    reportFailures(ctx, output, mask);
    const { report, slack } = output;
    const upsert = report.upsert;
    writeResult(
      ctx,
      values.json,
      {
        ok: output.exitCode === EXIT.ok,
        exit_code: output.exitCode,
        observer_run_id: report.observerRunId,
        event: report.event,
        as_of: report.asOf,
        window_days: report.windowDays,
        total_runs: report.kpis.total_runs,
        runs_in_file: report.runsInFile,
        gate: report.gate.status,
        mirror: output.mirror.map((m) => ({ mode: m.mode, written: m.written, deleted: m.deleted })),
        kpi_snapshot_id: output.snapshotId,
        upsert: upsert && {
          rows: upsert.rows,
          codes: upsert.codes,
          retry_exhausted: upsert.exhausted.length > 0,
        },
        slack: {
          status: slack.status,
          posted: slack.posted,
          response_code: slack.responseCode ?? null,
          excerpt: slack.excerptPath ? displayPath(slack.excerptPath, root) : null,
        },
        phase3_summary: displayPath(paths.phase3Summary, root),
        observer_summary: displayPath(paths.observerSummary, root),
      },
      [
        `observer_run_id=${report.observerRunId} event=${report.event} as_of=${report.asOf} window_days=${report.windowDays}`,
        `total_runs=${report.kpis.total_runs} gate=${report.gate.status} mirror=${output.mirror.map((m) => m.mode).join(",")}`,
        upsert ? `upserted=${upsert.rows} retry_exhausted=${upsert.exhausted.length > 0}` : "upserted=none",
        `slack=${slack.posted ? "posted" : "excerpt"} exit_code=${output.exitCode}`,
      ].join(" "),
    );
    return output.exitCode;
  },
};

function reportFailures(
  ctx: { stderr: { write(chunk: string): unknown } },
  output: ObserverReportOutput,
  mask: (text: string) => string,
): void {
  for (const r of output.upsertResults ?? []) {
    if (r.outcome === "exhausted")
      ctx.stderr.write(
        `error: the metrics upsert of run_id ${mask(r.runId)} exhausted its retries after ${r.attempts} attempts (last answer ${r.responseCode ?? "none"}); retry_exhausted=true recorded\n`,
      );
    else if (r.outcome === "refused")
      ctx.stderr.write(
        `error: Supabase refused the metrics upsert of run_id ${mask(r.runId)} (HTTP ${r.responseCode ?? "none"}, not retried)\n`,
      );
  }
  if (output.slack.error) ctx.stderr.write(`error: ${mask(output.slack.error.message)}\n`);
}

function parseWindowDays(value: string | undefined): number {
  if (value === undefined) return DEFAULT_WINDOW_DAYS;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 366)
    throw new InputError(`--window-days: expected an integer from 1 to 366 (got '${value}')`);
  return n;
}

function parseAsOf(value: string | undefined): string {
  if (value === undefined) return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  if (!utcTimestamp.safeParse(value).success)
    throw new InputError(
      `--as-of: expected an ISO 8601 UTC timestamp like 2025-11-14T00:00:00Z (got '${value}')`,
    );
  return value;
}
