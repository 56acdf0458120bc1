import { formatDuration } from "@/components/ui/format";

/**
 * How the KPI view prints its figures: rates as the quality gate prints them ("95.2 %"), spans in
 * the Runs table's units, growing to days for an observer lag of weeks. A figure that cannot be
 * computed (no runs in the window) is a dash, never a zero.
 */
export const NONE = "–";

export function formatRate(rate: number | null): string {
  return rate === null ? NONE : `${(rate * 100).toFixed(1).replace(/\.0$/, "")} %`;
}

export function formatSpan(seconds: number | null): string {
  if (seconds === null) return NONE;
  if (seconds < 2 * 86_400) return formatDuration(seconds);
  const hours = Math.floor(seconds / 3_600);
  return `${Math.floor(hours / 24)}d ${String(hours % 24).padStart(2, "0")}h`;
}

export function formatNumber(n: number): string {
  return n.toLocaleString("en-US");
}

/** A bucket's start as its axis label: "11-20 14:00" by the hour, "11-20" by the day (UTC). */
export function formatBucket(iso: string, byHour: boolean): string {
  return iso.slice(5, byHour ? 16 : 10).replace("T", " ");
}
