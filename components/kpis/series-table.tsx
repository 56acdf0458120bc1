import { TableHead } from "@/components/ui/table-head";
import type { SeriesBucket } from "@/lib/observer/kpis";
import type { Granularity } from "@/lib/observer/kpi-series";
import { formatBucket, formatNumber, formatSpan } from "./kpi-format";

/**
 * The charts' figures as a table, behind a disclosure (keyboard and screen reader friendly by
 * itself). Only hours or days that saw a run are listed; the sentence says how many were empty.
 */
const COLUMNS = [
  "Start (UTC)",
  "Runs",
  "Success",
  "Failure",
  "Cancelled",
  "Parity match",
  "Parity mismatch",
  "p50 duration",
  "p90 duration",
  "Retries",
];

const td = "border-b border-zinc-100 px-3 py-1 text-right tabular-nums whitespace-nowrap";

export function SeriesTable({
  buckets,
  granularity,
}: {
  buckets: readonly SeriesBucket[];
  granularity: Granularity;
}) {
  const byHour = granularity === "hour";
  const unit = byHour ? "hour" : "day";
  const rows = buckets.filter((b) => b.total > 0);
  const empty = buckets.length - rows.length;
  return (
    <details className="mt-3 rounded border border-zinc-200 bg-white px-3 py-2">
      <summary className="cursor-pointer text-xs font-medium text-zinc-800">
        Chart data as a table ({formatNumber(rows.length)} {unit}
        {rows.length === 1 ? "" : "s"} with runs
        {empty > 0 ? `, ${formatNumber(empty)} without` : ""})
      </summary>
      <div className="mt-2 max-h-96 overflow-auto">
        <table className="w-full border-collapse text-xs">
          <caption className="sr-only">
            Runs per {unit}: status, SHA parity, duration percentiles and retries
          </caption>
          <TableHead columns={COLUMNS} />
          <tbody>
            {rows.map((b) => (
              <tr key={b.bucket_start_utc}>
                <th
                  scope="row"
                  className="border-b border-zinc-100 px-3 py-1 text-left font-normal whitespace-nowrap"
                >
                  {formatBucket(b.bucket_start_utc, byHour)}
                </th>
                <td className={td}>{formatNumber(b.total)}</td>
                <td className={td}>{formatNumber(b.success)}</td>
                <td className={td}>{formatNumber(b.failure)}</td>
                <td className={td}>{formatNumber(b.cancelled)}</td>
                <td className={td}>{formatNumber(b.parity_pass)}</td>
                <td className={td}>{formatNumber(b.total - b.parity_pass)}</td>
                <td className={td}>{formatSpan(b.p50_duration_sec)}</td>
                <td className={td}>{formatSpan(b.p90_duration_sec)}</td>
                <td className={td}>{formatNumber(b.retries)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
