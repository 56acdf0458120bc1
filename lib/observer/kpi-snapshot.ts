import type { Database } from "../db";
import { textStatements } from "../db/text-statements";
import { SELF_HEAL_OBJECTIVE_SEC, type Kpis } from "./kpis";

/**
 * The KPI snapshot (kpi_snapshots.kpis): the KPIs as computed, except that self-heal keeps its
 * counts and the heals over 24 h rather than every heal (thousands at 100,000 runs).
 */
export function toKpiSnapshot(kpis: Kpis) {
  const { healed, ...counts } = kpis.self_heal;
  return {
    ...kpis,
    self_heal: {
      ...counts,
      healed_count: healed.length,
      late: healed.filter((h) => h.self_heal_sec > SELF_HEAL_OBJECTIVE_SEC),
    },
  };
}

export async function storeKpiSnapshot(
  db: Database,
  event: string,
  observerRunId: string,
  kpis: Kpis,
): Promise<number> {
  const { rows } = await textStatements(db)<{ id: string | number }>(
    db,
    `insert into kpi_snapshots (event, observer_run_id, as_of, window_days, kpis)
     values ($1, $2, $3::timestamptz, $4::integer, $5::jsonb) returning id`,
    [event, observerRunId, kpis.as_of, String(kpis.window_days), JSON.stringify(toKpiSnapshot(kpis))],
  );
  return Number(rows[0]?.id);
}
