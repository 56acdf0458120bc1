import Link from "next/link";
import type { RunRecord } from "@/lib/evidence/run-record";
import { toRunsSearchParams, type RunSortKey, type RunsQuery } from "@/lib/evidence/runs-query";
import { ParityBadge, StatusBadge } from "@/components/ui/badges";
import { formatDuration, formatUtc } from "@/components/ui/format";

interface Column {
  label: string;
  sort?: RunSortKey;
  align?: "right";
}

const COLUMNS: Column[] = [
  { label: "Run id", sort: "run_id" },
  { label: "Status", sort: "status" },
  { label: "Parity" },
  { label: "Retries", sort: "retries", align: "right" },
  { label: "Duration", sort: "duration_sec", align: "right" },
  { label: "Trigger" },
  { label: "Source" },
  { label: "Started (UTC)", sort: "run_started_at_utc" },
];

// Numbers and times read best largest/newest first; names alphabetically.
const FIRST_DIR: Record<RunSortKey, "asc" | "desc"> = {
  run_id: "asc",
  status: "asc",
  retries: "desc",
  duration_sec: "desc",
  run_started_at_utc: "desc",
};

const th =
  "border-b border-zinc-200 px-3 py-2 text-left text-xs font-semibold text-zinc-600 whitespace-nowrap";
const td = "border-b border-zinc-100 px-3 py-1.5 whitespace-nowrap";

export function RunsTable({
  rows,
  query,
  caption,
}: {
  rows: readonly RunRecord[];
  query: RunsQuery;
  caption: string;
}) {
  // The detail link carries the list's query so "Back to runs" returns to the same view.
  const listQuery = toRunsSearchParams(query).toString();
  return (
    <div className="overflow-x-auto rounded border border-zinc-200 bg-white">
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-zinc-50">
          <tr>
            {COLUMNS.map((col) => (
              <SortableHeader key={col.label} column={col} query={query} />
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((run) => (
            <tr key={run.run_id} className="hover:bg-zinc-50">
              <th scope="row" className={`${td} text-left font-normal`}>
                <Link
                  href={`/runs/${encodeURIComponent(run.run_id)}${listQuery ? `?${listQuery}` : ""}`}
                  className="font-mono text-[13px] text-accent-700 underline-offset-2 hover:underline"
                >
                  {run.run_id}
                </Link>
              </th>
              <td className={td}>
                <StatusBadge status={run.status} />
              </td>
              <td className={td}>
                <ParityBadge parity={run.sha_parity} />
              </td>
              <td className={`${td} text-right tabular-nums`}>
                {run.retries}
                {run.retry_exhausted ? <span className="ml-1 text-xs text-red-700">exhausted</span> : null}
              </td>
              <td className={`${td} text-right tabular-nums`}>{formatDuration(run.duration_sec)}</td>
              <td className={`${td} font-mono text-xs text-zinc-700`}>{run.trigger_mode}</td>
              <td className={`${td} text-zinc-700`}>{run.source ?? "—"}</td>
              <td className={`${td} font-mono text-xs text-zinc-700 tabular-nums`}>
                <time dateTime={run.run_started_at_utc}>{formatUtc(run.run_started_at_utc)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SortableHeader({ column, query }: { column: Column; query: RunsQuery }) {
  const alignClass = column.align === "right" ? "text-right" : "";
  if (!column.sort) {
    return (
      <th scope="col" className={`${th} ${alignClass}`}>
        {column.label}
      </th>
    );
  }
  const active = query.sort === column.sort;
  const nextDir = active ? (query.dir === "asc" ? "desc" : "asc") : FIRST_DIR[column.sort];
  const href = `/runs?${toRunsSearchParams(query, { sort: column.sort, dir: nextDir, page: 1 }).toString()}`;
  return (
    <th
      scope="col"
      aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : undefined}
      className={`${th} ${alignClass}`}
    >
      <Link
        href={href}
        className={`inline-flex items-center gap-1 hover:text-zinc-900 ${active ? "text-zinc-900" : ""}`}
      >
        {column.label}
        <span aria-hidden="true" className={active ? "text-accent-700" : "text-zinc-300"}>
          {active ? (query.dir === "asc" ? "▲" : "▼") : "↕"}
        </span>
      </Link>
    </th>
  );
}
