import type { Metadata } from "next";
import { KpiDashboard } from "@/components/kpis/kpi-dashboard";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorPanel } from "@/components/ui/panels";
import { windowFromSearchParam } from "@/lib/observer/kpi-params";
import type { KpiView } from "@/lib/observer/kpi-data";
import { getEventContext } from "@/lib/web/event-data";
import { loadKpiView } from "@/lib/web/kpi-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "KPIs" };

export default async function KpisPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = getEventContext();
  const windowDays = windowFromSearchParam((await searchParams).window);
  const header = (
    <PageHeader title="KPIs">
      Event <code className="text-[13px]">{ctx.event}</code>: the runs mirrored from{" "}
      <code className="text-[13px]">{ctx.shown.runsSummary}</code>, live.
    </PageHeader>
  );
  let initial: KpiView;
  try {
    initial = await loadKpiView(windowDays);
  } catch (error) {
    console.error("KPIs could not be computed:", error);
    return (
      <>
        {header}
        <ErrorPanel
          title="The KPIs cannot be shown"
          message="The runs could not be read from the database; see the console's log for the cause."
        />
      </>
    );
  }
  return (
    <>
      {header}
      <KpiDashboard key={windowDays} initial={initial} windowDays={windowDays} />
    </>
  );
}
