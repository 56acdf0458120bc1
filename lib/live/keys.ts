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
};

export type QueryKey = readonly string[];

const KEYS_BY_TABLE: Record<LiveTable, () => QueryKey[]> = {
  runs: () => [queryKeys.runs()],
  phase4_audit_metrics: () => [queryKeys.metrics()],
  checklist_state: () => [queryKeys.checklist()],
  decisions: () => [queryKeys.decisions()],
  kill_switch: () => [queryKeys.killSwitchState()],
  kill_switch_events: () => [queryKeys.killSwitchEvents()],
  audit_log: () => [queryKeys.auditLog()],
};

/** The keys a change to `table` makes stale; everything when the table is not known here. */
export function keysForTable(table: string): QueryKey[] {
  return isLiveTable(table) ? KEYS_BY_TABLE[table]() : [queryKeys.all];
}
