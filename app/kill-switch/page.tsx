import type { Metadata } from "next";
import { KillSwitchControls } from "@/components/kill-switch/kill-switch-controls";
import { KillSwitchHistory } from "@/components/kill-switch/kill-switch-history";
import { KillSwitchStatePanel } from "@/components/kill-switch/kill-switch-state-panel";
import { RestartCheckResults, StepResults } from "@/components/kill-switch/step-results";
import { formatUtc } from "@/components/ui/format";
import { Command } from "@/components/ui/panels";
import { PageHeader, Section } from "@/components/ui/page-header";
import { getSettings } from "@/lib/config/settings";
import { getKillSwitchStatus } from "@/lib/control/kill-switch";
import {
  getLastEngagement,
  getLastRestartChecks,
  listKillSwitchEvents,
} from "@/lib/control/kill-switch-history";
import { isAllowed } from "@/lib/control/roles";
import { getDatabase } from "@/lib/db";
import { getSessionActor } from "@/lib/web/session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Kill switch" };

export default async function KillSwitchPage() {
  const db = await getDatabase(getSettings());
  const [actor, status, events, engagement, checks] = await Promise.all([
    getSessionActor(),
    getKillSwitchStatus(db),
    listKillSwitchEvents(db, 100),
    getLastEngagement(db),
    getLastRestartChecks(db),
  ]);
  const canAct = actor !== null && isAllowed(actor, "killswitch.engage");

  return (
    <>
      <PageHeader title="Kill switch">
        The incident commander stops the loop with a reason and releases it after the restart checks; everyone
        sees its state.
      </PageHeader>

      <Section title="State" id="kill-switch-state">
        <KillSwitchStatePanel status={status} />
      </Section>

      <Section title={status.state === "engaged" ? "Release" : "Engage"} id="kill-switch-act">
        {canAct ? (
          <KillSwitchControls state={status.state} />
        ) : (
          <p className="max-w-2xl text-zinc-600">
            {actor ? `Signed in as ${actor.role}: read-only here.` : "Read-only without a session."} Only the
            incident commander engages or releases the kill switch.
          </p>
        )}
        <p className="mt-3 mb-1 text-xs text-zinc-600">The same from a terminal:</p>
        <Command>
          {status.state === "engaged"
            ? "scripts/phase4-killswitch.sh release"
            : 'scripts/phase4-killswitch.sh engage --reason "…" [--rollback-manifest]'}
        </Command>
      </Section>

      {engagement ? (
        <Section
          title="Last engagement's steps"
          id="kill-switch-steps"
          aside={`${formatUtc(engagement.engage.at)} by ${engagement.engage.actor}`}
        >
          <div className="max-w-2xl rounded border border-zinc-200 bg-white px-4 py-3">
            <StepResults steps={engagement.steps} label="Last engagement's steps" />
          </div>
        </Section>
      ) : null}

      {checks ? (
        <Section
          title="Last restart checks"
          id="kill-switch-checks"
          aside={`${formatUtc(checks.at)} by ${checks.actor}: ${checks.released ? "released" : "release refused"}`}
        >
          <div className="max-w-2xl rounded border border-zinc-200 bg-white px-4 py-3">
            <RestartCheckResults checks={checks.checks} label="Last restart checks" />
          </div>
        </Section>
      ) : null}

      <Section title="History" id="kill-switch-history">
        <KillSwitchHistory events={events} />
      </Section>
    </>
  );
}
