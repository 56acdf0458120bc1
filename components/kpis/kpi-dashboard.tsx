"use client";

import dynamic from "next/dynamic";
import { useMemo, useState } from "react";
import { QualityGatePanel } from "@/components/decision/quality-gate-panel";
import { formatUtc } from "@/components/ui/format";
import { Section } from "@/components/ui/page-header";
import type { KpiView } from "@/lib/observer/kpi-data";
import { fillSeries, type Granularity } from "@/lib/observer/kpi-series";
import { useKpiDataQuery } from "./kpi-data-query";
import { formatNumber } from "./kpi-format";
import { KpiTiles } from "./kpi-tiles";
import { WindowSelector } from "./window-selector";

// recharts is heavy and needs the browser's layout: loaded on this view only, after first paint.
const KpiCharts = dynamic(() => import("./kpi-charts").then((m) => m.KpiCharts), {
  ssr: false,
  loading: () => <p className="h-52 text-xs text-zinc-500">Loading the charts…</p>,
});

const days = (n: number) => (n === 1 ? "1 day" : `${n} days`);

/**
 * The KPI view: rendered by the server first, then kept current from the React Query cache,
 * which live updates invalidate the moment a run changes in the database.
 */
export function KpiDashboard({ initial, windowDays }: { initial: KpiView; windowDays: number }) {
  const { data, isFetching, error } = useKpiDataQuery(windowDays, initial);
  const view = data ?? initial;
  const [chosen, setChosen] = useState<Granularity | null>(null);
  const granularity = chosen ?? (view.window_days <= 3 ? "hour" : "day");
  const buckets = useMemo(
    () =>
      fillSeries(granularity === "hour" ? view.series.hourly : view.series.daily, {
        asOf: view.as_of,
        windowDays: view.window_days,
        granularity,
      }),
    [view, granularity],
  );

  return (
    <>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <WindowSelector current={windowDays} />
        <p role="status" className="text-xs text-zinc-600" data-testid="kpi-as-of">
          Runs completed in the last {days(view.window_days)}, as of {formatUtc(view.as_of)}
          {isFetching ? " · updating…" : ""}
        </p>
      </div>
      {error ? (
        <p role="alert" className="mb-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">
          The figures could not be refreshed ({error.message}); they are as of {formatUtc(view.as_of)}.
        </p>
      ) : null}
      {view.kpis.total_runs === 0 ? <NoRunsNotice view={view} /> : null}
      <Section title="Key figures" id="kpi-figures">
        <KpiTiles view={view} />
      </Section>
      <Section
        title={`Over time, per ${granularity}`}
        id="kpi-series"
        aside={
          <div role="group" aria-label="Chart granularity" className="flex gap-1">
            {(["hour", "day"] as const).map((g) => (
              <button
                key={g}
                type="button"
                aria-pressed={granularity === g}
                onClick={() => setChosen(g)}
                className={`rounded border px-2 py-0.5 ${granularity === g ? "border-accent-700 bg-accent-50 font-semibold text-accent-800" : "border-zinc-300 bg-white text-zinc-700"}`}
              >
                Per {g}
              </button>
            ))}
          </div>
        }
      >
        <KpiCharts buckets={buckets} granularity={granularity} />
      </Section>
      <Section
        title="Quality gate"
        id="kpi-gate"
        aside={`KPI checks over the last ${days(view.gate_window_days)}, as on the Go/No-Go page`}
      >
        <QualityGatePanel gate={view.gate} />
      </Section>
    </>
  );
}

function NoRunsNotice({ view }: { view: KpiView }) {
  return (
    <div className="mb-4 rounded border border-dashed border-zinc-300 bg-white px-4 py-3 text-zinc-700">
      <p className="font-medium text-zinc-900">No run completed in the last {days(view.window_days)}.</p>
      <p className="mt-1">
        {view.latest_completion_utc
          ? `The latest of event ${view.event}'s ${formatNumber(view.event_runs)} runs completed at ${formatUtc(view.latest_completion_utc)}; choose a longer window, or import newer runs.`
          : `Event ${view.event} has no runs in the database yet: importing runs (scripts/phase4-runs-import.sh) or an observer run records them.`}
      </p>
    </div>
  );
}
