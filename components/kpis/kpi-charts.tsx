"use client";

import { useId, useMemo, type ReactNode } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
  type DotItemDotProps,
} from "recharts";
import type { SeriesBucket } from "@/lib/observer/kpis";
import { summarizeSeries, type Granularity } from "@/lib/observer/kpi-series";
import { ChartKey, PatternDefs, patternId, type SeriesStyle } from "./chart-key";
import { describeSeries } from "./chart-text";
import { formatBucket } from "./kpi-format";
import { SeriesTable } from "./series-table";

/**
 * The hourly or daily series as four charts (recharts; this module is loaded only by the KPI
 * view, in the browser). Each chart is a picture of the sentence under it: the sentence and the
 * table below carry the same figures for screen readers and for anyone who prefers numbers.
 */
const STATUS: SeriesStyle[] = [
  { key: "success", label: "success", color: "#059669", fill: "solid" },
  { key: "failure", label: "failure", color: "#dc2626", fill: "stripes" },
  { key: "cancelled", label: "cancelled", color: "#71717a", fill: "dots" },
];
const PARITY: SeriesStyle[] = [
  { key: "match", label: "parity match", color: "#059669", fill: "solid" },
  { key: "mismatch", label: "parity mismatch", color: "#d97706", fill: "stripes" },
];
const DURATION: SeriesStyle[] = [
  { key: "p50", label: "p50 duration (solid, dots)", color: "#4338ca", marker: "circle" },
  { key: "p90", label: "p90 duration (dashed, squares)", color: "#b45309", dash: "6 3", marker: "square" },
];
const RETRIES: SeriesStyle[] = [{ key: "retries", label: "retries", color: "#4338ca", fill: "dots" }];

const AXIS = { fontSize: 11, fill: "#52525b" };
const CHART_STYLE = { width: "100%", height: 200 };

function Marker({ cx, cy, series }: { cx?: number; cy?: number; series: SeriesStyle }) {
  if (typeof cx !== "number" || typeof cy !== "number") return null;
  return series.marker === "square" ? (
    <rect x={cx - 2.5} y={cy - 2.5} width={5} height={5} fill={series.color} />
  ) : (
    <circle cx={cx} cy={cy} r={2.5} fill={series.color} />
  );
}

function Figure({
  title,
  keyFor,
  caption,
  children,
}: {
  title: string;
  keyFor: ReactNode;
  caption: string;
  children: ReactNode;
}) {
  return (
    <figure className="rounded border border-zinc-200 bg-white px-3 py-2">
      <h3 className="text-xs font-semibold text-zinc-900">{title}</h3>
      <div className="mt-1">{keyFor}</div>
      {/* The picture only: its figures are the caption's and the table's. */}
      <div aria-hidden="true" className="mt-1">
        {children}
      </div>
      <figcaption className="mt-1 text-xs text-zinc-600">{caption}</figcaption>
    </figure>
  );
}

export function KpiCharts({
  buckets,
  granularity,
}: {
  buckets: readonly SeriesBucket[];
  granularity: Granularity;
}) {
  const prefix = useId().replace(/:/g, "");
  const byHour = granularity === "hour";
  const rows = useMemo(
    () =>
      buckets.map((b) => ({
        label: formatBucket(b.bucket_start_utc, byHour),
        success: b.success,
        failure: b.failure,
        cancelled: b.cancelled,
        match: b.parity_pass,
        mismatch: b.total - b.parity_pass,
        p50: b.p50_duration_sec,
        p90: b.p90_duration_sec,
        retries: b.retries,
      })),
    [buckets, byHour],
  );
  const text = describeSeries(summarizeSeries(buckets), granularity);
  const bars = (styles: SeriesStyle[], stack: string) =>
    styles.map((s) => (
      <Bar
        key={s.key}
        dataKey={s.key}
        name={s.label}
        stackId={stack}
        fill={`url(#${patternId(prefix, s.key)})`}
        stroke={s.color}
        isAnimationActive={false}
      />
    ));
  const axes = (unit?: string) => (
    <>
      <CartesianGrid stroke="#e4e4e7" vertical={false} />
      <XAxis dataKey="label" tick={AXIS} minTickGap={24} />
      <YAxis tick={AXIS} width={44} allowDecimals={false} unit={unit} />
      <Tooltip isAnimationActive={false} />
    </>
  );

  return (
    <div>
      <PatternDefs prefix={prefix} series={[...STATUS, ...PARITY, ...RETRIES]} />
      <div className="grid gap-3 lg:grid-cols-2">
        <Figure
          title="Runs by status"
          keyFor={<ChartKey prefix={prefix} series={STATUS} />}
          caption={text.status}
        >
          <BarChart data={rows} responsive style={CHART_STYLE} accessibilityLayer={false}>
            {axes()}
            {bars(STATUS, "status")}
          </BarChart>
        </Figure>
        <Figure
          title="SHA parity"
          keyFor={<ChartKey prefix={prefix} series={PARITY} />}
          caption={text.parity}
        >
          <BarChart data={rows} responsive style={CHART_STYLE} accessibilityLayer={false}>
            {axes()}
            {bars(PARITY, "parity")}
          </BarChart>
        </Figure>
        <Figure
          title="Duration p50 / p90"
          keyFor={<ChartKey prefix={prefix} series={DURATION} />}
          caption={text.duration}
        >
          <LineChart data={rows} responsive style={CHART_STYLE} accessibilityLayer={false}>
            {axes(" s")}
            {DURATION.map((s) => (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.label}
                stroke={s.color}
                strokeWidth={2}
                strokeDasharray={s.dash}
                // A marker per point: an hour standing alone between empty ones has no line to show.
                dot={(props: DotItemDotProps) => (
                  <Marker key={props.index} cx={props.cx} cy={props.cy} series={s} />
                )}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </Figure>
        <Figure title="Retries" keyFor={<ChartKey prefix={prefix} series={RETRIES} />} caption={text.retries}>
          <BarChart data={rows} responsive style={CHART_STYLE} accessibilityLayer={false}>
            {axes()}
            {bars(RETRIES, "retries")}
          </BarChart>
        </Figure>
      </div>
      <SeriesTable buckets={buckets} granularity={granularity} />
    </div>
  );
}
