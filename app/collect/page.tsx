import type { Metadata } from "next";
import { CollectControls } from "@/components/collect/collect-controls";
import { GitHubSetupNotice } from "@/components/collect/github-setup-notice";
import { LiveCollections } from "@/components/collect/live-collections";
import { PageHeader, Section } from "@/components/ui/page-header";
import { Command } from "@/components/ui/panels";
import { getLastDryRun } from "@/lib/collect/collections-store";
import { getSettings } from "@/lib/config/settings";
import { isAllowed } from "@/lib/control/roles";
import { getDatabase } from "@/lib/db";
import { getGitHubSetup, loadCollections } from "@/lib/web/collect-view";
import { getEventContext, loadRuns } from "@/lib/web/event-data";
import { getKillSwitchBanner } from "@/lib/web/kill-switch-state";
import { getSessionActor } from "@/lib/web/session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Collect" };

export default async function CollectPage() {
  const ctx = getEventContext();
  const db = await getDatabase(getSettings());
  const [actor, banner, collections, lastDryRun, runs] = await Promise.all([
    getSessionActor(),
    getKillSwitchBanner(),
    loadCollections(),
    getLastDryRun(db, ctx.event),
    loadRuns(ctx),
  ]);
  const github = getGitHubSetup();
  const canCollect = actor !== null && isAllowed(actor, "collect.run");
  // The handbook's sample run id: the event's newest run (RUNS_SUMMARY.json is sorted by start).
  const sampleRunId = runs.state === "ok" ? (runs.value.at(-1)?.run_id ?? null) : null;

  return (
    <>
      <PageHeader title="Collect">
        Operators collect a run&apos;s artifacts from GitHub Actions
        {github.repository ? ` (${github.repository})` : ""}, check each artifact&apos;s SHA-256 against its
        provenance and record the evidence of event <code className="text-[13px]">{ctx.event}</code>; everyone
        watches the progress live.
      </PageHeader>

      {github.configured ? null : <GitHubSetupNotice missing={github.missing} />}

      <Section title="Start a collection" id="collect-start">
        {canCollect ? (
          <CollectControls
            initialBanner={banner}
            defaultDryRun={lastDryRun === null}
            sampleRunId={sampleRunId}
            blockedBy={github.configured ? null : `missing ${github.missing.join(", ")}`}
          />
        ) : (
          <p className="max-w-2xl text-zinc-600">
            {actor ? `Signed in as ${actor.role}: read-only here.` : "Read-only without a session."} Only
            operators collect; everyone sees the collections and their progress below.
          </p>
        )}
        <p className="mt-3 mb-1 text-xs text-zinc-600">The same from a terminal or a workflow:</p>
        <Command>
          {
            "scripts/phase4-auto-collect.sh <run_id> [--dry-run]\nscripts/phase4-auto-collect.sh --window-days 7"
          }
        </Command>
      </Section>

      <Section title="Collections" id="collect-collections" aside="newest first · live">
        <LiveCollections
          initial={collections}
          caption="Collections, newest first"
          empty="Nothing collected yet for this event."
        />
      </Section>
    </>
  );
}
