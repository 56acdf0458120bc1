import type { ReactNode } from "react";
import { GateBadge } from "@/components/decision/quality-gate-panel";
import { formatUtc } from "@/components/ui/format";
import type { KpiView } from "@/lib/observer/kpi-data";
import { DEFAULT_GATE_THRESHOLDS } from "@/lib/observer/quality-gate";
import { formatNumber, formatRate, formatSpan } from "./kpi-format";

/**
 * The KPI tiles (DESIGN §6). Where the quality gate holds a figure to a threshold the tile says
 * so in words and a glyph (GateBadge), so the mark reads the same without colour.
 */
interface Tile {
  id: string;
  label: string;
  value: string;
  detail?: ReactNode;
  mark?: { outcome: "pass" | "fail"; label: string };
}

const meets = (ok: boolean, yes: string, no: string) =>
  ({ outcome: ok ? "pass" : "fail", label: ok ? yes : no }) as const;

function tiles(view: KpiView): Tile[] {
  const k = view.kpis;
  const heal = view.self_heal;
  const limits = DEFAULT_GATE_THRESHOLDS;
  return [
    {
      id: "total-runs",
      label: "Runs in the window",
      value: formatNumber(k.total_runs),
      detail: `${formatNumber(k.success_count)} success · ${formatNumber(k.failure_count)} failure · ${formatNumber(k.cancelled_count)} cancelled`,
    },
    {
      id: "success-rate",
      label: "Success rate",
      value: formatRate(k.success_rate),
      detail: `threshold ${formatRate(limits.successRate)}`,
      mark:
        k.success_rate === null ? undefined : meets(k.success_rate >= limits.successRate, "meets", "below"),
    },
    {
      id: "sha-parity",
      label: "SHA parity pass rate",
      value: formatRate(k.sha_parity_pass_rate),
      detail: `threshold ${formatRate(limits.shaParityPassRate)}`,
      mark:
        k.sha_parity_pass_rate === null
          ? undefined
          : meets(k.sha_parity_pass_rate >= limits.shaParityPassRate, "meets", "below"),
    },
    { id: "p50", label: "p50 duration", value: formatSpan(k.p50_latency_sec), detail: "median run duration" },
    {
      id: "p90",
      label: "p90 duration",
      value: formatSpan(k.p90_latency_sec),
      detail: "9 in 10 runs finish within",
    },
    {
      id: "retry-invocations",
      label: "Retry invocations",
      value: formatNumber(k.retry_invocations),
      detail: "retries summed over the runs",
    },
    {
      id: "retry-success",
      label: "Retry success rate",
      value: formatRate(k.retry_success_rate),
      detail: "successes among runs that retried",
    },
    {
      id: "retries-exhausted",
      label: "Retries exhausted",
      value: formatNumber(k.retries_exhausted_count),
      detail: "runs that used every retry and failed",
      mark: meets(k.retries_exhausted_count === 0, "none", "exhausted"),
    },
    {
      id: "observer-lag",
      label: "Observer lag",
      value: formatSpan(k.observer_lag_sec),
      detail: view.latest_completion_utc
        ? `since the latest completion, ${formatUtc(view.latest_completion_utc)}`
        : "no run recorded yet",
    },
    {
      id: "self-heal",
      label: "Self-heal over 24 h",
      value: formatNumber(heal.count_over_24h),
      detail: heal.worst
        ? `of ${formatNumber(heal.count)} healed; worst ${formatSpan(heal.worst.self_heal_sec)} (${heal.worst.run_id} → ${heal.worst.healed_by}); objective 24 h`
        : "no failure healed in the window; objective 24 h",
      mark: meets(heal.count_over_24h === 0, "within 24 h", "late"),
    },
  ];
}

export function KpiTiles({ view }: { view: KpiView }) {
  return (
    <ul className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5" aria-label="Key figures">
      {tiles(view).map((tile) => (
        <li
          key={tile.id}
          data-testid={`kpi-${tile.id}`}
          className="flex flex-col rounded border border-zinc-200 bg-white px-3 py-2"
        >
          <span className="flex items-center justify-between gap-2 text-xs text-zinc-600">
            <span>{tile.label}</span>
            {tile.mark ? <GateBadge outcome={tile.mark.outcome} label={tile.mark.label} /> : null}
          </span>
          <span className="text-xl font-semibold text-zinc-900 tabular-nums" data-kpi-value>
            {tile.value}
          </span>
          {tile.detail ? (
            <span className="mt-0.5 text-xs break-words text-zinc-600">{tile.detail}</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
