import "server-only";
import { getSettings } from "../config/settings";
import { getDatabase } from "../db";
import { getKpiGateFacts, getKpiView, type KpiView } from "../observer/kpi-data";
import type { KpiGateFacts } from "../observer/quality-gate";
import { getEventContext } from "./event-data";

/**
 * The KPI view's data for the configured event, as the page (first render) and GET /api/kpis
 * (live refetches) serve it: one function, so the two never differ.
 */
export async function loadKpiView(windowDays: number): Promise<KpiView> {
  const ctx = getEventContext();
  const db = await getDatabase(getSettings());
  return getKpiView(db, { event: ctx.event, files: ctx.paths, windowDays });
}

/** The quality gate's KPI facts for the Go/No-Go page, from the same runs and computation. */
export async function loadKpiGateFacts(): Promise<KpiGateFacts> {
  const ctx = getEventContext();
  return getKpiGateFacts(await getDatabase(getSettings()), ctx.event);
}
