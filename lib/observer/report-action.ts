import { z } from "zod";
import type { EventPaths } from "../config/paths";
import type { Settings } from "../config/settings";
import { defineAction } from "../control/action";
import { tripIfManifestUnparseable, tripOnStatusConflicts } from "../control/auto-trip-checks";
import { evaluateQualityGate } from "../control/decisions";
import type { Database } from "../db";
import { isMirroredDigest, mirrorRuns, type MirrorResult } from "../db/runs-mirror";
import { KillSwitchEngagedError } from "../errors";
import { RunStatusConflictError } from "../evidence/run-status-conflict";
import { utcTimestamp } from "../evidence/utc-timestamp";
import { updateRunsSummary } from "../evidence/runs-summary";
import { createMasker } from "../notify/mask";
import { isSafeRunId } from "../notify/slack-excerpt";
import type { UpsertResult } from "../supabase/metrics-upsert";
import { storeKpiSnapshot } from "./kpi-snapshot";
import { computeKpis, toKpiGateFacts, type Kpis } from "./kpis";
import { writeObserverSummary, writePhase3Summary } from "./report-files";
import { computeFindings, isInWindow, windowBounds, type ObserverReport } from "./report-model";
import { readRunsForReport, type RunsRead } from "./report-read";
import { postReportToSlack, type ReportSlackOutcome } from "./report-slack";
import { applyUpsertResults, summarizeUpserts, toMetricsRow } from "./report-upsert";

/**
 * The observer report (DESIGN §1.5, §3, §6) as one mutation through the action client: refuses
 * while the kill switch is engaged, trips it on an unparseable manifest or a run recorded as both
 * success and failure, mirrors the runs, computes the KPIs as of a moment, optionally upserts the
 * window's metrics, stores a KPI snapshot, writes both summaries and the Slack summary.
 */
export const observerReportInputSchema = z.object({
  observerRunId: z
    .string()
    .refine(isSafeRunId, "1-100 letters, digits, '.', '_' or '-' starting with a letter or digit"),
  windowDays: z.number().int("an integer").min(1, "at least 1 day").max(366, "at most 366 days"),
  asOf: utcTimestamp,
  supabaseUpsert: z.boolean().default(false),
  notes: z.string().max(2000, "at most 2000 characters").nullable().default(null),
});

export interface ObserverReportEnv {
  settings: Settings;
  paths: EventPaths;
  fetchImpl?: typeof fetch;
  /** RUNS_SUMMARY.json as already read (readRunsForReport); read by the report when absent. */
  preread?: Promise<RunsRead>;
  /** One line per long step (the CLI writes them to stderr). */
  progress?: (line: string) => void;
  now?: () => Date;
}

export interface ObserverReportOutput {
  report: ObserverReport;
  mirror: MirrorResult[];
  upsertResults: UpsertResult[] | null;
  slack: ReportSlackOutcome;
  snapshotId: number;
  files: { phase3: { changed: boolean }; observer: { changed: boolean } };
  /** 0, or 75 / 78 when an upsert or the Slack post exhausted its retries / was refused. */
  exitCode: 0 | 75 | 78;
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export function observerReportAction(env: ObserverReportEnv) {
  return defineAction({
    name: "observer.report",
    permission: "observer.report",
    schema: observerReportInputSchema,
    run: ({ input, db, signal }) => runObserverReport(env, input, db, signal),
    audit: (input, output) => ({
      target: input.observerRunId,
      detail: {
        event: env.paths.event,
        as_of: output.report.asOf,
        window_days: input.windowDays,
        total_runs: output.report.kpis.total_runs,
        gate: output.report.gate.status,
        upserted: output.report.upsert?.rows ?? null,
        slack_posted: output.slack.posted,
        exit_code: output.exitCode,
      },
    }),
  });
}

async function runObserverReport(
  env: ObserverReportEnv,
  input: z.output<typeof observerReportInputSchema>,
  db: Database,
  signal: AbortSignal,
): Promise<ObserverReportOutput> {
  const { settings, paths } = env;
  const progress = env.progress ?? (() => undefined);
  const step = async <T>(label: string, work: () => Promise<T>, describe: (value: T) => string) => {
    const started = performance.now();
    const value = await work();
    progress(`${label}: ${describe(value)} in ${Math.round(performance.now() - started)} ms`);
    return value;
  };
  // Loaded only when asked: supabase-js is the heaviest module of the CLI. Missing configuration
  // refuses (78) before anything is read or written.
  const supabase = input.supabaseUpsert
    ? await Promise.all([import("../supabase/metrics-upsert"), import("../supabase/rest-client")])
    : null;
  supabase?.[1].requireSupabaseConfig(settings);
  const tripContext = { db, settings, paths, fetchImpl: env.fetchImpl };

  const manifestTrip = await tripIfManifestUnparseable(tripContext);
  if (manifestTrip) throw manifestTrip;
  const read = await (env.preread ??
    readRunsForReport(paths.runsSummary, { trust: (digest) => isMirroredDigest(db, paths.event, digest) }));
  if ("error" in read) {
    if (read.error instanceof RunStatusConflictError)
      throw await tripOnStatusConflicts(tripContext, read.error.conflicts);
    throw read.error;
  }
  const { snapshot } = read;
  progress(
    `read: ${snapshot.runs.length} runs (${(snapshot.bytes / 1e6).toFixed(1)} MB) from RUNS_SUMMARY.json` +
      `${snapshot.trusted ? " (validated before: the digest the mirror recorded)" : ", validated"} in ${read.elapsedMs} ms`,
  );
  const describeMirror = (m: MirrorResult) => `${m.mode}, ${m.written} written, ${m.deleted} deleted`;
  const mirrors = [
    await step(
      "mirror",
      () => mirrorRuns(db, paths.event, snapshot.runs, { digest: snapshot.digest ?? "missing" }),
      describeMirror,
    ),
  ];

  const asOf = new Date(input.asOf);
  const bounds = windowBounds(asOf, input.windowDays);
  let runs = snapshot.runs;
  const kpisStarted = performance.now();
  // The read may have computed them already, for this very moment and window.
  const early = read.kpis;
  let kpis: Kpis =
    early && early.as_of === isoSeconds(asOf.getTime()) && early.window_days === input.windowDays
      ? early
      : computeKpis(runs, { asOf, windowDays: input.windowDays });
  progress(
    `kpis: ${kpis.total_runs} runs in the window, as of ${kpis.as_of}` +
      (kpis === early
        ? " (computed with the read)"
        : ` in ${Math.round(performance.now() - kpisStarted)} ms`),
  );

  let upsertResults: UpsertResult[] | null = null;
  if (supabase) {
    const [{ upsertMetricsRows }] = supabase;
    const asOfIso = isoSeconds(asOf.getTime());
    let upserted = 0;
    const rows = runs
      .filter((run) => isInWindow(run, bounds))
      .map((run) => toMetricsRow(run, asOfIso, input.windowDays));
    const results = await step(
      "upsert",
      () =>
        rows.length === 0
          ? Promise.resolve([])
          : upsertMetricsRows(rows, {
              settings,
              db,
              signal,
              fetchImpl: env.fetchImpl,
              tripOnStreak: { paths },
              onDecision: (d) => {
                // A row is done at any decision but a retry; progress every 500 rows.
                if (d.decision.kind !== "retry" && ++upserted % 500 === 0)
                  progress(`upsert: ${upserted} of ${rows.length} metrics row(s)`);
              },
            }),
      (r) => `${r.length} metrics row(s)`,
    );
    upsertResults = results;
    if (results.some((r) => r.tripped)) {
      throw new KillSwitchEngagedError(
        `Stopped: the Supabase upsert's answers tripped the kill switch (supabase_5xx_streak) after ${results.length} of ${rows.length} row(s); nothing more was written. The commander releases it with scripts/phase4-killswitch.sh release.`,
      );
    }
    if (results.length > 0) {
      const written = await updateRunsSummary(
        paths.runsSummary,
        (current) => applyUpsertResults(current, results),
        {
          signal,
        },
      );
      runs = written.runs;
      // No digest: the file may have changed again since this write; the fingerprints decide.
      mirrors.push(await step("mirror", () => mirrorRuns(db, paths.event, runs), describeMirror));
      kpis = computeKpis(runs, { asOf, windowDays: input.windowDays });
    }
  }

  signal.throwIfAborted();
  const snapshotId = await storeKpiSnapshot(db, paths.event, input.observerRunId, kpis);
  const files = {
    runsSummary: paths.runsSummary,
    manifest: paths.manifest,
    observerSummary: paths.observerSummary,
    phase3Summary: paths.phase3Summary,
  };
  const kpiFacts = toKpiGateFacts(kpis, input.observerRunId);
  const gateNow = async () => (await evaluateQualityGate(db, paths.event, files, { kpis: kpiFacts })).gate;
  const report: ObserverReport = {
    observerRunId: input.observerRunId,
    event: paths.event,
    asOf: kpis.as_of,
    windowStart: isoSeconds(bounds.startMs),
    windowDays: input.windowDays,
    runsInFile: runs.length,
    kpis,
    findings: computeFindings(runs, kpis, bounds),
    gate: await gateNow(),
    upsert: upsertResults ? summarizeUpserts(settings.SUPABASE_METRICS_TABLE, upsertResults) : null,
    notes: input.notes,
  };

  const slack = await postReportToSlack({ settings, paths, report, db, signal, fetchImpl: env.fetchImpl });
  progress(
    `slack: ${slack.posted ? `posted (HTTP ${slack.responseCode ?? "?"})` : slack.error ? slack.error.message : "excerpt written, not posted (SLACK_WEBHOOK_URL unset)"}`,
  );
  // The summaries show the gate with this run's own evidence in (its upsert answers and Slack
  // post reach retry_history, its excerpt slack_excerpts/: checklist steps 8 and 9), so a re-run
  // with the same id and --as-of writes the same sections. Slack carried the gate as it stood
  // before the post.
  report.gate = await gateNow();
  const writeOptions = { mask: createMasker(settings), at: (env.now ?? (() => new Date()))(), signal };
  const phase3 = await writePhase3Summary(paths.phase3Summary, report, writeOptions);
  const observer = await writeObserverSummary(paths.observerSummary, report, writeOptions);

  const refused =
    (upsertResults ?? []).some((r) => r.outcome === "refused") || slack.error?.kind === "refused";
  const exhausted =
    (upsertResults ?? []).some((r) => r.outcome === "exhausted") || slack.error?.kind === "exhausted";
  return {
    report,
    mirror: mirrors,
    upsertResults,
    slack,
    snapshotId,
    files: { phase3: { changed: phase3.changed }, observer: { changed: observer.changed } },
    exitCode: refused ? 78 : exhausted ? 75 : 0,
  };
}
