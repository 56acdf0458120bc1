import type { Metadata } from "next";
import { ControlNotice } from "@/components/decision/control-notice";
import { CurrentDecision } from "@/components/decision/current-decision";
import { DecisionForm } from "@/components/decision/decision-form";
import { DecisionHistory } from "@/components/decision/decision-history";
import { QualityGatePanel } from "@/components/decision/quality-gate-panel";
import { formatCount } from "@/components/ui/format";
import { PageHeader, Section } from "@/components/ui/page-header";
import { getSettings } from "@/lib/config/settings";
import { evaluateQualityGate } from "@/lib/control/decisions";
import { describeDecisionStatus, listDecisions } from "@/lib/control/decisions-store";
import { getKillSwitchStatus } from "@/lib/control/kill-switch";
import { isAllowed } from "@/lib/control/roles";
import { getDatabase } from "@/lib/db";
import { getEventContext } from "@/lib/web/event-data";
import { loadKpiGateFacts } from "@/lib/web/kpi-view";
import { getSessionActor } from "@/lib/web/session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Go/No-Go" };

export default async function DecisionPage() {
  const ctx = getEventContext();
  const settings = getSettings();
  const db = await getDatabase(settings);
  const [actor, { gate }, history, killSwitch] = await Promise.all([
    getSessionActor(),
    // The KPI facts from the KPI view's own data function: the two views never disagree.
    loadKpiGateFacts().then((kpis) => evaluateQualityGate(db, ctx.event, ctx.paths, { kpis })),
    listDecisions(db, ctx.event),
    getKillSwitchStatus(db),
  ]);
  const status = describeDecisionStatus(history);
  const twoReviewerRule = settings.AUDIT_GO_REQUIRES_TWO_REVIEWERS;
  const canDecide = actor !== null && killSwitch.state !== "engaged" && isAllowed(actor, "decision.record");

  return (
    <>
      <PageHeader title="Go/No-Go">
        The reviewer&apos;s decision for event <code className="text-[13px]">{ctx.event}</code>, beside the
        quality gate. Recorded in the database, <code className="text-[13px]">PHASE3_AUDIT_SUMMARY.md</code>{" "}
        and the audit log; never edited, only superseded.
      </PageHeader>
      <ControlNotice
        actor={actor}
        killSwitch={killSwitch}
        canAct={canDecide}
        acting="You may record a decision. A No-Go and an override of a failing gate need a rationale."
        watching="Reviewers record Go/No-Go; you can follow the gate and every decision here."
      />
      <Section title="Quality gate" id="gate">
        <QualityGatePanel gate={gate} />
      </Section>
      <Section title="Current decision" id="current">
        <CurrentDecision status={status} twoReviewerRule={twoReviewerRule} />
      </Section>
      {canDecide ? (
        <Section title="Record a decision" id="record">
          <DecisionForm gateStatus={gate.status} twoReviewerRule={twoReviewerRule} />
        </Section>
      ) : null}
      <Section title="History" id="history" aside={formatCount(history.length, "decision")}>
        <DecisionHistory history={history} />
      </Section>
    </>
  );
}
