/** The tables whose changes reach open dashboards (supabase/migrations/20251114000300_change_feed.sql). */
export const LIVE_TABLES = [
  "runs",
  "phase4_audit_metrics",
  "checklist_state",
  "decisions",
  "kill_switch",
  "kill_switch_events",
  "audit_log",
  "collections",
  "self_heal_attempts",
] as const;

export type LiveTable = (typeof LIVE_TABLES)[number];

export function isLiveTable(table: string): table is LiveTable {
  return (LIVE_TABLES as readonly string[]).includes(table);
}
