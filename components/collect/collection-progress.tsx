import { formatBytes } from "@/components/ui/format";
import type { CollectionRecord } from "@/lib/collect/collections-store";

/** 0–100 for a row, or null while the size is not known (an indeterminate bar). */
export function collectionPercent(row: Pick<CollectionRecord, "state" | "bytes" | "total">): number | null {
  if (row.state === "done") return 100;
  if (row.total === null || row.total <= 0) return null;
  return Math.min(100, Math.floor((row.bytes / row.total) * 100));
}

/**
 * One artifact's download as a progress bar (role=progressbar with its value for assistive tech)
 * and the bytes as text beside it, so the number reads without the bar.
 */
export function CollectionProgress({ row, label }: { row: CollectionRecord; label: string }) {
  const percent = collectionPercent(row);
  const failed = row.state === "failed" || row.state === "refused";
  const bar = failed ? "bg-red-600" : row.state === "done" ? "bg-emerald-600" : "bg-accent-700";
  return (
    <div className="flex min-w-48 items-center gap-2">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={percent === null ? `${formatBytes(row.bytes)} so far` : `${percent} %`}
        className="h-2 w-24 shrink-0 overflow-hidden rounded bg-zinc-200"
      >
        <div
          className={`h-full ${bar} ${percent === null && !failed ? "animate-pulse" : ""}`}
          style={{ width: `${percent ?? (failed ? 100 : 30)}%` }}
        />
      </div>
      <span className="text-xs whitespace-nowrap text-zinc-600 tabular-nums">
        {formatBytes(row.bytes)}
        {row.total !== null ? ` / ${formatBytes(row.total)}` : ""}
        {percent !== null ? ` · ${percent} %` : ""}
      </span>
    </div>
  );
}
