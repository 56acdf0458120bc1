import { isLiveTable, type LiveTable } from "./tables";

/**
 * The one React Query key factory (STYLE "Data on the client"). Plain data, no React: hooks
 * import their keys from here and live updates invalidate by the table that changed.
 */
export const queryKeys = {
  all: ["auditloop"] as const,
  runs: () => [...queryKeys.all, "runs"] as const,
  metrics: () => [...queryKeys.all, "metrics"] as const,
  checklist: () => [...queryKeys.all, "checklist"] as const,
  decisions: () => [...queryKeys.all, "decisions"] as const,
  killSwitch: () => [...queryKeys.all, "kill-switch"] as const,
  killSwitchState: () => [...queryKeys.killSwitch(), "state"] as const,
  killSwitchEvents: () => [...queryKeys.killSwitch(), "events"] as const,
  auditLog: () => [...queryKeys.all, "audit-log"] as const,
  /** The KPI view's data, one entry per window; kpisAll() reaches every window. */
  kpisAll: () => [...queryKeys.all, "kpis"] as const,
  kpis: (windowDays: number) => [...queryKeys.kpisAll(), windowDays] as const,
  /** Artifact collections (lib/collect): downloads, progress, parity. */
  collections: () => [...queryKeys.all, "collections"] as const,
  selfHealAttempts: () => [...queryKeys.all, "self-heal-attempts"] as const,
  /** The Collect view's table (every run of the event) or a run detail's collection section. */
  collectionList: (runId?: string) => [...queryKeys.collections(), runId ?? "*"] as const,
  /** A collection this person started (lib/web/collect-jobs): under collections, so rows moving refresh it. */
  collectJob: (jobId: string) => [...queryKeys.collections(), "job", jobId] as const,
  selfHealAttemptsOf: (runId: string) => [...queryKeys.selfHealAttempts(), runId] as const,
};

export type QueryKey = readonly string[];

// The KPI view shows the quality gate too: the checklist, a decision and the kill switch change it.
const KEYS_BY_TABLE: Record<LiveTable, () => QueryKey[]> = {
  runs: () => [queryKeys.runs(), queryKeys.kpisAll()],
  phase4_audit_metrics: () => [queryKeys.metrics(), queryKeys.kpisAll()],
  checklist_state: () => [queryKeys.checklist(), queryKeys.kpisAll()],
  decisions: () => [queryKeys.decisions(), queryKeys.kpisAll()],
  kill_switch: () => [queryKeys.killSwitchState(), queryKeys.kpisAll()],
  kill_switch_events: () => [queryKeys.killSwitchEvents()],
  audit_log: () => [queryKeys.auditLog()],
  // Checklist step 4 ticks itself from the last dry-run collection.
  collections: () => [queryKeys.collections(), queryKeys.checklist()],
  self_heal_attempts: () => [queryKeys.selfHealAttempts()],
};

/** The keys a change to `table` makes stale; everything when the table is not known here. */
export function keysForTable(table: string): QueryKey[] {
  return isLiveTable(table) ? KEYS_BY_TABLE[table]() : [queryKeys.all];
}
